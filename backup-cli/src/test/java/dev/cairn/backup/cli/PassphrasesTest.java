package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where passphrases come from: restic's order, and prompts with confirmation for new ones. */
class PassphrasesTest {
  @TempDir Path dir;

  private final Map<String, String> env = new HashMap<>();
  private final Deque<String> typed = new ArrayDeque<>();
  private final List<String> prompts = new java.util.ArrayList<>();
  private boolean console;

  private Passphrases passphrases(Path passwordFile) {
    Terminal terminal = new Terminal() {
      @Override
      public boolean stderrIsTerminal() {
        return false;
      }

      @Override
      public char[] readPassword(String prompt) {
        prompts.add(prompt);
        String next = console ? typed.poll() : null;
        return next == null ? null : next.toCharArray();
      }
    };
    return new Passphrases(new CliEnvironment(env, terminal), passwordFile);
  }

  @Test
  void passwordFileOptionWinsOverEnvironment() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "from option\nsecond line ignored\n");
    Path envFile = Files.writeString(dir.resolve("envpw"), "from env file\n");
    env.put("CAIRN_PASSWORD_FILE", envFile.toString());
    env.put("CAIRN_PASSWORD", "from env");
    assertThat(passphrases(file).current("/r")).isEqualTo(Secret.of("from option"));
    assertThat(passphrases(null).current("/r")).isEqualTo(Secret.of("from env file"));
    env.remove("CAIRN_PASSWORD_FILE");
    assertThat(passphrases(null).current("/r")).isEqualTo(Secret.of("from env"));
  }

  @Test
  void windowsLineEndIsNotPartOfThePassphrase() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "secret\r\n");
    assertThat(passphrases(file).current("/r")).isEqualTo(Secret.of("secret"));
  }

  @Test
  void asksOnTheTerminalWhenNothingIsGiven() {
    console = true;
    typed.add("typed");
    assertThat(passphrases(null).current("/r")).isEqualTo(Secret.of("typed"));
    assertThat(prompts).containsExactly("enter passphrase for repository /r: ");
  }

  @Test
  void failsWithWhatToSetWhenThereIsNoTerminal() {
    assertThatThrownBy(() -> passphrases(null).current("/r"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("CAIRN_PASSWORD").hasMessageContaining("--password-file");
  }

  @Test
  void newRepositoryPassphraseIsTypedTwiceAndMustMatch() {
    console = true;
    typed.addAll(List.of("one", "one"));
    assertThat(passphrases(null).forNewRepository("/r")).isEqualTo(Secret.of("one"));
    assertThat(prompts).hasSize(2);
    typed.addAll(List.of("one", "two"));
    assertThatThrownBy(() -> passphrases(null).forNewRepository("/r"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("differ");
  }

  @Test
  void emptyNewPassphraseIsRefused() {
    env.put("CAIRN_PASSWORD", "");
    console = true;
    typed.addAll(List.of("", ""));
    assertThatThrownBy(() -> passphrases(null).forNewRepository("/r"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("empty");
  }

  @Test
  void missingPasswordFileNamesTheFile() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> passphrases(missing).current("/r"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining(missing.toString())
        .hasMessageContaining("--password-file");
  }

  @Test
  void newKeyPassphraseComesFromItsFile() throws Exception {
    Path file = Files.writeString(dir.resolve("new"), "brand new\n");
    assertThat(passphrases(null).newKey(file)).isEqualTo(Secret.of("brand new"));
  }
}

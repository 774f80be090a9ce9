package dev.cairn.backup.plan;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.SourceFactory;
import dev.cairn.backup.spi.SourceSettings;
import dev.cairn.backup.spi.Verification;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** A source type {@code fakedb} registered through the SPI, as backup-mysql would register {@code mysql}. */
public final class FakeDatabaseSourceFactory implements SourceFactory {
  /** The source made, exposing what the factory was given. */
  public record FakeDatabaseSource(String name, String url, List<String> databases, Secret password) implements Source {
    @Override
    public String type() {
      return "fakedb";
    }

    @Override
    public void backup(SourceContext context) throws java.io.IOException {
      for (String db : databases) {
        byte[] data = ("rows of " + db + "\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = context.newFile(EntryMetadata.stream("fakedb/" + db + ".tsv"))) {
          out.write(data);
        }
        context.addVerification(Verification.of(db, 1, Integer.toHexString(java.util.Arrays.hashCode(data))));
      }
    }
  }

  @Override
  public String type() {
    return "fakedb";
  }

  @Override
  public Set<String> keys() {
    return Set.of("url", "databases", "password");
  }

  @Override
  public Source create(SourceSettings settings) {
    String url = settings.string("url").orElseThrow(() -> settings.error(null, "missing required key 'url'"));
    if (!url.startsWith("fakedb://")) {
      throw settings.error("url", "expected a fakedb:// URL, found '" + url + "'");
    }
    return new FakeDatabaseSource(settings.name(), url, settings.strings("databases"),
        settings.secret("password").orElse(null));
  }
}

package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Repository;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn init}: creates a repository, asking for its passphrase twice on a terminal. */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Create a new repository at --repo.")
final class InitCommand extends CairnSubcommand {

  @Option(names = "--copy-chunker-params-from", paramLabel = "REPO",
      description = "Use the chunker parameters and chunk id key of repository REPO, so snapshots copied between"
          + " the two deduplicate. REPO's passphrase: --from-password-file, $CAIRN_FROM_PASSWORD_FILE,"
          + " $CAIRN_FROM_PASSWORD, or a prompt.")
  String copyChunkerParamsFrom;

  @Option(names = "--from-password-file", paramLabel = "FILE",
      description = "Read the passphrase of the --copy-chunker-params-from repository from FILE.")
  java.nio.file.Path fromPasswordFile;

  @Override
  java.util.Map<String, java.util.List<String>> dependentOptions() {
    return java.util.Map.of("--from-password-file", java.util.List.of("--copy-chunker-params-from"));
  }

  @Override
  int run() {
    String location = location();
    var storage = storage();
    if (Repository.exists(storage)) {
      throw new ConfigurationException("a repository already exists at " + location
          + "; use it as it is, or choose another --repo");
    }
    Repository chunkingFrom = copyChunkerParamsFrom == null ? null : OtherRepository.open(root(), "FROM_",
        fromPasswordFile, copyChunkerParamsFrom, "--copy-chunker-params-from");
    Repository.Builder builder = root().repositoryBuilder(storage)
        .passphrase(root().passphrases().forNewRepository(location));
    if (chunkingFrom != null) {
      builder.chunkingFrom(chunkingFrom);
    }
    try (chunkingFrom; Repository repo = builder.init()) {
      Output out = output();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("message_type", "initialized");
      result.put("id", repo.id().hex());
      result.put("repository", location);
      out.json(result);
      out.info("created repository %s at %s", repo.id().shortHex(), location);
      out.info("Keep the passphrase safe: without it nobody can read the data back. Add a second one with"
          + " 'cairn key add'.");
    }
    return ExitCodes.OK;
  }
}

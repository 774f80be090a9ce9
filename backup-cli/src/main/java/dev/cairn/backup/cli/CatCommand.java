package dev.cairn.backup.cli;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.Repository;
import java.io.IOException;
import java.io.OutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn cat KIND [ID]}: one repository object, decrypted and checked, on standard output (restic's
 * {@code cat}): JSON for structured objects, the plaintext bytes of a blob.
 */
@Command(name = "cat", mixinStandardHelpOptions = true,
    description = {"Print one repository object, decrypted and checked: config; snapshot, index, lock or pack"
        + " (its header) by id or unique prefix, as JSON; tree (JSON) or blob (raw bytes) by full id; a key file as"
        + " stored (it is not encrypted: the key derivation's parameters and the wrapped keys).",
        "For looking inside a repository by hand: 'cairn list' gives the ids."})
final class CatCommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "KIND", description = "config, snapshot, index, key, lock, pack, tree or blob.")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The object's id (or unique prefix).")
  String id;

  @Override
  int run() throws IOException {
    if (kind.equals("blob") && environment().terminal().stdoutIsTerminal()) {
      throw new BackupException("a blob's bytes are not written to a terminal: redirect standard output, e.g."
          + " 'cairn cat blob ID > blob.bin'");
    }
    byte[] bytes;
    try (Repository repo = openRepository()) {
      bytes = repo.cat(kind, id);
    }
    OutputStream stdout = environment().stdout();
    try {
      stdout.write(bytes);
      if (!kind.equals("blob") && (bytes.length == 0 || bytes[bytes.length - 1] != '\n')) {
        stdout.write('\n');
      }
      stdout.flush();
    } catch (IOException e) {
      throw new BackupException("cannot write to standard output: " + e.getMessage(), e);
    }
    return ExitCodes.OK;
  }
}

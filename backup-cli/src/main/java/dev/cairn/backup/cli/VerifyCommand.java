package dev.cairn.backup.cli;

import dev.cairn.backup.DataSubset;
import dev.cairn.backup.Repository;
import dev.cairn.backup.VerifyReport;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cairn verify [--read-data | --read-data-subset=SPEC]}: checks the repository's structure, and
 * reads all of it or a subset. Exit code 1 when damage is found; the output names the damaged packs,
 * snapshots and paths.
 */
@Command(name = "verify", aliases = "check", mixinStandardHelpOptions = true,
    description = "Check the repository: structure, or with --read-data every byte. Exit code 1 if damaged.")
final class VerifyCommand extends CairnSubcommand {

  @Option(names = "--read-data",
      description = "Read every pack, decrypt and re-hash every chunk (slow: reads the whole repository).")
  boolean readData;

  @Option(names = "--read-data-subset", paramLabel = "SPEC", converter = SubsetConverter.class,
      description = "Read only some packs: n/t (group n of t, by pack id: 1/4 to 4/4 in turn read everything),"
          + " x% (a random share) or a size such as 500M or 2G (random packs until at least that much).")
  DataSubset subset;

  @Override
  int run() {
    if (readData && subset != null) {
      throw new ParameterException(spec.commandLine(),
          "give --read-data (every pack) or --read-data-subset (some packs), not both");
    }
    DataSubset chosen = subset != null ? subset : readData ? DataSubset.all() : DataSubset.none();
    VerifyReport report;
    try (Repository repo = openRepository(); ProgressDisplay progress = progress("verify")) {
      report = repo.verify(chosen, progress);
    }
    Output out = output();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("ok", report.ok());
    summary.put("read_data", report.readData());
    summary.put("data_subset", report.dataSubset().toString());
    summary.put("snapshots", report.snapshots());
    summary.put("packs", report.packs());
    summary.put("packs_read", report.packsRead());
    summary.put("blobs", report.blobs());
    summary.put("bytes_read", report.bytesRead());
    summary.put("duration_seconds", report.duration().toMillis() / 1000.0);
    summary.put("damaged_packs", report.damagedPacks());
    summary.put("damaged_snapshots", report.damagedSnapshots().stream().map(id -> id.hex()).toList());
    summary.put("damaged_paths", report.damagedPaths().stream().map(p -> Map.of(
        "snapshot", p.snapshot().hex(), "source", p.source(), "path", p.path())).toList());
    summary.put("problems", report.problems());
    out.message("summary", summary);
    String read;
    if (!report.dataSubset().readsData()) {
      read = " (structure only; --read-data reads every byte)";
    } else if (report.readData()) {
      read = ", read " + Format.bytes(report.bytesRead());
    } else {
      read = ", read " + report.packsRead() + " of them (subset " + report.dataSubset() + ", "
          + Format.bytes(report.bytesRead()) + ")";
    }
    out.info("checked %d snapshots, %d packs, %d chunks and trees%s in %s", report.snapshots(), report.packs(),
        report.blobs(), read, Format.duration(report.duration()));
    if (report.ok()) {
      out.info("no problems found");
      return ExitCodes.OK;
    }
    if (!out.json()) {
      report.problems().forEach(p -> out.err().println("damage: " + p));
      report.damagedPacks().forEach(p -> out.err().println("damaged pack: " + p));
      report.damagedSnapshots().forEach(s -> out.err().println("damaged snapshot: " + s.shortHex()));
      report.damagedPaths().forEach(p -> out.err().println("damaged path: snapshot " + p.snapshot().shortHex()
          + " source " + p.source() + ": " + (p.path().isEmpty() ? "(root)" : p.path())));
      out.err().println("cairn: the repository is damaged (" + report.problems().size() + " problems); files"
          + " outside the damaged paths still restore");
      out.err().flush();
    }
    return ExitCodes.FAILURE;
  }

  /** Reads {@code --read-data-subset}'s value with {@link DataSubset#parse}. */
  static final class SubsetConverter implements ITypeConverter<DataSubset> {
    @Override
    public DataSubset convert(String value) {
      try {
        return DataSubset.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}

package dev.cairn.backup.cli;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one message on stderr that says what failed and what to do, and an exit code
 * from {@link ExitCodes}. The stack trace is printed only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    CairnCommand root = (CairnCommand) commandLine.getCommandSpec().root().userObject();
    err.println("cairn: " + describe(failure));
    if (root.verbose) {
      failure.printStackTrace(err);
    } else if (!(failure instanceof BackupException)) {
      err.println("(run with --verbose to see the stack trace)");
    }
    err.flush();
    return ExitCodes.of(failure);
  }

  /** A usage error: the message, a pointer to --help, exit code 1. */
  static int usageError(ParameterException failure, String[] args) {
    CommandLine commandLine = failure.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println("cairn: " + failure.getMessage());
    String name = commandLine.getCommandSpec().qualifiedName();
    err.println("Try '" + name + " --help' for the options.");
    err.flush();
    return ExitCodes.FAILURE;
  }

  /** A one-line description of {@code failure}, naming the file or object at fault. */
  static String describe(Throwable failure) {
    String described = describeOnly(failure);
    if (StorageException.isNoSpace(failure) && !described.contains("free some space")) {
      described += "; the disk is full: free some space on it and run the command again. On the repository's"
          + " disk, a backup that failed this way saved no snapshot, and 'cairn forget ... --prune --max-unused"
          + " unlimited' removes snapshots and frees their data; add '--safety-window 0h' (while no backup runs)"
          + " to free the packs the failed backup just wrote too (see docs/runbook.md, 'The repository's disk is"
          + " full')";
    }
    return described;
  }

  private static String describeOnly(Throwable failure) {
    if (failure instanceof BackupException) {
      return failure.getMessage();
    }
    if (failure instanceof NoSuchFileException e) {
      return "no such file or directory: " + e.getFile();
    }
    if (failure instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile() + "; check its permissions or run as a user who may read it";
    }
    if (failure instanceof IOException) {
      return "I/O error: " + failure.getMessage();
    }
    if (failure instanceof java.io.UncheckedIOException) {
      // the API wraps file system errors this way (a drill's report or scratch directory): not a bug
      return "I/O error: " + failure.getMessage() + "; check the path and its permissions";
    }
    String message = failure.getMessage();
    if (failure instanceof IllegalArgumentException && message != null) {
      return "invalid argument: " + message;
    }
    if (failure instanceof IllegalStateException && message != null) {
      // builders report missing settings this way (e.g. an s3:// URI without a region)
      return "incomplete settings: " + message;
    }
    return "unexpected error: " + failure.getClass().getSimpleName() + (message == null ? "" : ": " + message)
        + "; this is a bug in cairn, please report it with the output of --verbose";
  }
}

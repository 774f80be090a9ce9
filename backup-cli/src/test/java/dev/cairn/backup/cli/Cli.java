package dev.cairn.backup.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code cairn} in-process with a given environment, capturing stdout and stderr. */
final class Cli {
  private final Map<String, String> env = new HashMap<>();
  private final Deque<String> typed = new ArrayDeque<>();
  private boolean stderrTerminal;
  private boolean stdoutTerminal;
  private boolean stdinTerminal;
  private boolean stdinClosed;
  private byte[] stdin = new byte[0];
  private java.io.OutputStream stdout;
  private boolean console;

  /** The result of one run; {@code data} is what went to the raw standard output ({@code cairn dump}). */
  record Result(int exitCode, String out, String err, byte[] data) {
    List<String> outLines() {
      return out.lines().toList();
    }
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Cli withoutEnv(String name) {
    env.remove(name);
    return this;
  }

  /** Makes a terminal available that answers prompts with {@code answers}, in order. */
  Cli typing(String... answers) {
    console = true;
    typed.addAll(List.of(answers));
    return this;
  }

  Cli stderrTerminal(boolean value) {
    stderrTerminal = value;
    return this;
  }

  Cli stdoutTerminal(boolean value) {
    stdoutTerminal = value;
    return this;
  }

  /** What the next runs read as standard input. */
  Cli stdin(byte[] bytes) {
    stdin = bytes.clone();
    return this;
  }

  Cli stdinTerminal(boolean value) {
    stdinTerminal = value;
    return this;
  }

  Cli stdinClosed(boolean value) {
    stdinClosed = value;
    return this;
  }

  /** Raw standard output goes to {@code out} instead of {@link Result#data()}. */
  Cli stdout(java.io.OutputStream out) {
    stdout = out;
    return this;
  }

  /** A terminal that is not there: no prompts, no live progress. */
  static final class NoTerminal implements Terminal {
    @Override
    public boolean stderrIsTerminal() {
      return false;
    }

    @Override
    public char[] readPassword(String prompt) {
      return null;
    }
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Terminal terminal = new Terminal() {
      @Override
      public boolean stderrIsTerminal() {
        return stderrTerminal;
      }

      @Override
      public boolean stdinIsTerminal() {
        return stdinTerminal;
      }

      @Override
      public boolean stdinIsClosed() {
        return stdinClosed;
      }

      @Override
      public boolean stdoutIsTerminal() {
        return stdoutTerminal;
      }

      @Override
      public char[] readPassword(String prompt) {
        if (!console) {
          return null;
        }
        err.write(prompt + "\n");
        String next = typed.poll();
        return next == null ? null : next.toCharArray();
      }
    };
    // cheap Argon2id for key slots the tests write (the default costs ~1 s of CPU per open)
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    CommandLine cl = CairnCommand.newCommandLine(new CairnCommand(new CliEnvironment(env, terminal, stdout != null ? stdout : data,
        new java.io.ByteArrayInputStream(stdin)),
        b -> b.keyDerivation(1024, 1, 1)), args);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString(), data.toByteArray());
  }
}

package dev.scep.e2e;

import dev.scep.cli.ScepCommand;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the scep command line in-process and captures what it prints. */
record Cli(int exitCode, String out, String err) {
    static Cli run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] a = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        int code = ScepCommand.run(a, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}

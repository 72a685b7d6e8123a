package dev.scep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code scep} command line: a thin layer over the library (see README.md for the commands). */
@Command(name = "scep", mixinStandardHelpOptions = true, versionProvider = ScepCommand.Version.class,
        description = "Predict gene expression per cell population from DNA sequence (scEP, Xpresso).",
        subcommands = {PredictCommand.class, InfoCommand.class, PrepareCommand.class, PseudobulkCommand.class,
                DatasetInfoCommand.class, IsmCommand.class, ScoreVariantsCommand.class, PersonalCommand.class, EvaluatePersonalCommand.class, SimulateCommand.class, TrainCommand.class, CvCommand.class, EvaluateCommand.class, ImportKerasCommand.class, ExportWeightsCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class ScepCommand {

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ScepCommand.class.getPackage().getImplementationVersion();
            return new String[]{"scep " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 usage error). Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ScepCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = parseResult.originalArgs().contains("--debug") || "1".equals(System.getenv("SCEP_DEBUG"));
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            if (ex instanceof java.nio.file.NoSuchFileException nsf) {
                msg = nsf.getFile() + ": " + (nsf.getReason() == null ? "no such file" : nsf.getReason());
            }
            commandLine.getErr().println("scep: error: " + msg);
            if (debug) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }
}

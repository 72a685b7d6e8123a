package dev.scep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/** The {@code scep} command line: a thin layer over the library (see README.md for the commands). */
@Command(name = "scep", mixinStandardHelpOptions = true, versionProvider = ScepCommand.Version.class,
        description = "Predict gene expression per cell population from DNA sequence (scEP, Xpresso).",
        subcommands = {PredictCommand.class, InfoCommand.class, PrepareCommand.class, PseudobulkCommand.class,
                DatasetInfoCommand.class, IsmCommand.class, ScoreVariantsCommand.class, PersonalCommand.class, EvaluatePersonalCommand.class, SimulateCommand.class, TrainCommand.class, CvCommand.class, EvaluateCommand.class, AnalyzeCommand.class, ImportKerasCommand.class, ImportH5DatasetCommand.class, ImportPytorchCommand.class, ExportWeightsCommand.class,
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

    /** This build's version, as {@code --version} names it. */
    static String version() {
        String v = ScepCommand.class.getPackage().getImplementationVersion();
        return v == null ? "development-build" : v;
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 usage error). Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ScepCommand());
        cl.setOut(out);
        cl.setErr(err);
        // the options' declared rules (ranges, outputs that must not be inputs) before any command runs
        cl.setExecutionStrategy(parseResult -> {
            List<CommandLine> chain = parseResult.asCommandLineList();
            OptionRules.check(chain.getLast());
            return new CommandLine.RunLast().execute(parseResult);
        });
        // a usage error in one line naming the option, not buried under the whole usage text
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("scep: error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
            c.getErr().println("Run '" + (c.getCommandSpec().parent() == null ? "scep --help"
                    : "scep help " + c.getCommandName()) + "' for the options.");
            c.getErr().flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (message(ex).startsWith(dev.scep.formats.io.OutputFile.STDOUT + ": cannot write: Broken pipe")) {
                return 141;   // the reader of our standard output stopped (| head): quiet, as SIGPIPE leaves other tools
            }
            boolean debug = parseResult.originalArgs().contains("--debug") || "1".equals(System.getenv("SCEP_DEBUG"));
            commandLine.getErr().println("scep: error: " + message(ex));
            if (debug) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        dev.scep.formats.io.Provenance.start("scep", version(), java.util.Arrays.asList(args));
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // every size read from a file or an option is checked first; this is the last line of defence
            err.println("scep: error: out of memory (Java's heap is " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): give Java more with SCEP_JAVA_OPTS=-Xmx8g, or use fewer threads or a smaller batch");
            return 1;
        } finally {
            dev.scep.formats.io.Provenance.clear();
            out.flush();
            err.flush();
        }
    }

    /** An exception as one line for the user: file-system errors name the file and say what is wrong with it. */
    static String message(Throwable ex) {
        if (ex instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
            String reason = fs.getReason();
            if (reason == null) {
                reason = switch (fs) {
                    case java.nio.file.NoSuchFileException x -> "no such file or folder";
                    case java.nio.file.AccessDeniedException x -> "permission denied";
                    case java.nio.file.NotDirectoryException x -> "not a folder";
                    case java.nio.file.FileAlreadyExistsException x -> "already exists";
                    case java.nio.file.DirectoryNotEmptyException x -> "folder not empty";
                    default -> fs.getClass().getSimpleName();
                };
            }
            return fs.getFile() + (fs.getOtherFile() != null && !(fs instanceof dev.scep.formats.io.OutputIsInputException)
                    ? " -> " + fs.getOtherFile() : "") + ": " + reason;
        }
        return ex.getMessage() == null ? ex.toString() : ex.getMessage();
    }
}

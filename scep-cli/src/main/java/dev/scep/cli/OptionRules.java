package dev.scep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rules every command's options obey, declared on the option fields and checked in one place before a command
 * runs (so before any input is read or any work is done):
 * <ul>
 *   <li>{@link Range}: a number outside its range is a usage error naming the option;</li>
 *   <li>{@link FinitePositive}: a floating-point option must be a finite number greater than 0;</li>
 *   <li>{@link Excludes}: options that contradict each other cannot be given together (a usage error naming both,
 *       rather than one silently winning);</li>
 *   <li>{@link Output}: an output path must not be the same file as any input path of the command (every other
 *       {@code Path} option or parameter), nor the same as another output, and its folder must exist.</li>
 * </ul>
 */
final class OptionRules {
    /** An option whose value scep writes. Every other {@code Path} option or parameter is an input. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Output {
        /** The option names a folder that scep writes into (made if missing, but never its parents). */
        boolean folder() default false;

        /** The option is a prefix that scep completes into file names ({@code PREFIX.<id>.png}): its folder must exist. */
        boolean prefix() default false;
    }

    /** The inclusive range of a numeric option. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Range {
        long min();

        long max();
    }

    /** A floating-point option that must be a finite number greater than 0 (not NaN, not infinite, not 0). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface FinitePositive {
    }

    /** Options (long names) that cannot be given together with this one. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Excludes {
        String[] value();

        /** Why, for the message (optional). */
        String why() default "";
    }

    private OptionRules() {
    }

    /** Checks the options of the command that is about to run; a violation is a {@link CommandLine.ParameterException}. */
    static void check(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        List<Named> inputs = new ArrayList<>();
        List<Named> outputs = new ArrayList<>();
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec arg : args) {
            AnnotatedElement field = arg.userObject() instanceof AnnotatedElement e ? e : null;
            Object value = arg.getValue();
            if (field == null || value == null) {
                continue;
            }
            value = standardStreams(command, arg, field, value);
            Range range = field.getAnnotation(Range.class);
            if (range != null && value instanceof Number n) {
                long v = n.longValue();
                if (v < range.min() || v > range.max()) {
                    throw new CommandLine.ParameterException(command, name(arg) + " must be between " + range.min()
                            + " and " + range.max() + ", got " + value);
                }
            }
            if (field.getAnnotation(FinitePositive.class) != null && value instanceof Number n) {
                double v = n.doubleValue();
                if (!(Double.isFinite(v) && v > 0)) {
                    throw new CommandLine.ParameterException(command, name(arg) + " must be a finite number greater than 0, got "
                            + given(arg, value));
                }
            }
            Excludes excludes = field.getAnnotation(Excludes.class);
            if (excludes != null && arg instanceof CommandLine.Model.OptionSpec option
                    && command.getParseResult().hasMatchedOption(option)) {
                for (String other : excludes.value()) {
                    if (command.getParseResult().hasMatchedOption(other)) {
                        throw new CommandLine.ParameterException(command, name(arg) + " and " + other
                                + " cannot be used together" + (excludes.why().isEmpty() ? "" : ": " + excludes.why()));
                    }
                }
            }
            Output output = field.getAnnotation(Output.class);
            if (output != null && output.prefix() && value instanceof String prefix) {
                Path parent = Path.of(prefix + ".x").toAbsolutePath().getParent();
                if (parent == null || !Files.isDirectory(parent)) {
                    throw new CommandLine.ParameterException(command, name(arg) + " " + prefix + ": the folder " + parent
                            + " does not exist (scep does not create it)");
                }
            }
            for (Path p : paths(value)) {
                if (output != null && p.toString().equals(dev.scep.formats.io.OutputFile.STDOUT)) {
                    continue;   // standard output: no file to check
                }
                (output != null ? outputs : inputs).add(new Named(name(arg), p, output != null && output.folder()));
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            Named out = outputs.get(i);
            checkFolder(command, out);
            for (Named in : inputs) {
                if (same(out.path, in.path)) {
                    throw new CommandLine.ParameterException(command, out.option + " " + out.path + " is the same file as "
                            + in.option + " " + in.path + ": writing it would destroy that input; choose another output");
                }
            }
            for (int j = 0; j < i; j++) {
                Named other = outputs.get(j);
                if (out.path.toAbsolutePath().normalize().equals(other.path.toAbsolutePath().normalize())
                        || same(out.path, other.path)) {
                    throw new CommandLine.ParameterException(command, out.option + " and " + other.option + " name the same"
                            + " file " + out.path + ": one would overwrite the other");
                }
            }
        }
    }

    /**
     * {@code -} as the genomics tools read it: an input given as {@code -} is standard input (copied once to a
     * temporary file, {@link dev.scep.formats.io.StandardInput}); an output {@code -} is standard output, and then
     * the command's own messages go to standard error, so the table alone flows down the pipe.
     */
    private static Object standardStreams(CommandLine command, ArgSpec arg, AnnotatedElement field, Object value) {
        boolean isOutput = field.getAnnotation(Output.class) != null;
        if (isOutput) {
            if (value instanceof Path p && (p.toString().equals(dev.scep.formats.io.OutputFile.STDOUT)
                    || java.util.Set.of("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1").contains(p.toString()))) {
                if (field.getAnnotation(Output.class).folder()) {
                    throw new CommandLine.ParameterException(command, name(arg) + " names a folder: it cannot be '-'");
                }
                command.setOut(command.getErr());
            }
            return value;
        }
        try {
            if (value instanceof Path p && p.toString().equals(dev.scep.formats.io.StandardInput.NAME)) {
                Path spooled = dev.scep.formats.io.StandardInput.spool(name(arg));
                arg.setValue(spooled);
                return spooled;
            }
            if (value instanceof List<?> list && list.stream().anyMatch(v -> v instanceof Path p
                    && p.toString().equals(dev.scep.formats.io.StandardInput.NAME))) {
                List<Object> copy = new ArrayList<>(list);
                for (int i = 0; i < copy.size(); i++) {
                    if (copy.get(i) instanceof Path p && p.toString().equals(dev.scep.formats.io.StandardInput.NAME)) {
                        copy.set(i, dev.scep.formats.io.StandardInput.spool(name(arg)));
                    }
                }
                arg.setValue(copy);
                return copy;
            }
        } catch (IOException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
        return value;
    }

    /** The folder an output goes into must exist (an output folder's parent must); a file is not a folder. */
    private static void checkFolder(CommandLine command, Named out) {
        Path abs = out.path.toAbsolutePath();
        Path parent = abs.getParent();
        if (out.folder && Files.exists(out.path) && !Files.isDirectory(out.path)) {
            throw new CommandLine.ParameterException(command, out.option + " " + out.path + " is a file; give a folder");
        }
        if (!out.folder && Files.isDirectory(out.path)) {
            throw new CommandLine.ParameterException(command, out.option + " " + out.path + " is a folder; give a file name");
        }
        if (parent != null && !Files.isDirectory(parent) && !Files.isSymbolicLink(out.path)) {
            throw new CommandLine.ParameterException(command, out.option + " " + out.path + ": the folder " + parent
                    + " does not exist (scep does not create it)");
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            return dev.scep.formats.io.OutputFile.sameFile(a, b);
        } catch (IOException e) {
            return false;   // unreadable: the command's own error will name it
        }
    }

    private static Collection<Path> paths(Object value) {
        List<Path> out = new ArrayList<>();
        if (value instanceof Path p) {
            out.add(p);
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof Path p) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The value as the user typed it (0, not 0.0), else as parsed. */
    private static String given(ArgSpec arg, Object value) {
        List<String> typed = arg.originalStringValues();
        return typed.isEmpty() ? String.valueOf(value) : typed.getLast();
    }

    private static String name(ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
    }

    private record Named(String option, Path path, boolean folder) {
    }
}

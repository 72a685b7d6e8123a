package dev.scep.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a command as a process of its own, as a user's shell would: standard input from {@code /dev/null}, both
 * outputs read (standard error on a second thread, so a full pipe cannot stall it), and {@code SCEP_NO_BUILD=1}, so
 * that {@code bin/scep} never starts Maven from inside the test run.
 */
final class Processes {
    /** A finished process: its exit code and both outputs. */
    record Result(int exit, String out, String err) {
    }

    private Processes() {
    }

    static Result run(List<String> command, Map<String, String> env, String what) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("SCEP_NO_BUILD", "1");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        var err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", what).isTrue();
        return new Result(p.exitValue(), out, err.join());
    }
}

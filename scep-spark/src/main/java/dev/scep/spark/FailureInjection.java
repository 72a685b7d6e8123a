package dev.scep.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;

/**
 * The tests' deliberate task failure ({@value ScoreVariantsJob#FAIL_FIRST_ATTEMPT}): the first attempt of a job's first
 * task fails after doing its work, so the retry must replace what it left. Off unless the configuration asks for it.
 */
final class FailureInjection {
    private FailureInjection() {
    }

    /** Whether the session's configuration asks for the failure (read on the driver, passed to the tasks). */
    static boolean asked(SparkSession spark) {
        return spark.sparkContext().getConf().getBoolean(ScoreVariantsJob.FAIL_FIRST_ATTEMPT, false);
    }

    /** Whether this is the first attempt of the stage's first task, when the failure was asked for. */
    static boolean due(boolean asked) {
        TaskContext ctx = TaskContext.get();
        return asked && ctx != null && ctx.attemptNumber() == 0 && ctx.partitionId() == 0;
    }

    /** The failure to throw. */
    static IllegalStateException failure() {
        return new IllegalStateException("injected failure of the first attempt (" + ScoreVariantsJob.FAIL_FIRST_ATTEMPT + ")");
    }

    /** Throws {@link #failure()} when {@link #due}. */
    static void failIfDue(boolean asked) {
        if (due(asked)) {
            throw failure();
        }
    }
}

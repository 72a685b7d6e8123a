package dev.scep.formats.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * A reader's fuzz test as every one is run: ten minutes when fuzzing ({@code benchmarks/fuzz.sh} sets its own
 * duration), and a hang of 10 s on one input is a finding. The timeout runs the input in a separate thread so a
 * busy loop cannot hang the regression run; when fuzzing, Jazzer takes it as libFuzzer's per-input limit.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@FuzzTest(maxDuration = "10m")
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public @interface ReaderFuzzTest {
}

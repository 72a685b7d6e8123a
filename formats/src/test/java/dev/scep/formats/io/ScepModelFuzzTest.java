package dev.scep.formats.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scep.formats.Memory;
import dev.scep.formats.fuzz.FuzzInput;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The {@code .scep} reader on arbitrary bytes: a model, or {@link FileFormatException} (or a refusal to allocate what
 * the heap cannot hold); anything else, an OutOfMemoryError or a hang is a finding. Seeds (in
 * {@code ScepModelFuzzTestInputs/read}): small models of the three kinds of the scEP family (PyTorch and Keras
 * semantics, an ensemble, a sequence-only model), each whole and with its checksums repaired by the harness.
 * In CI this runs the seeds and the findings kept beside them; {@code benchmarks/fuzz.sh} fuzzes it for real.
 */
class ScepModelFuzzTest {
    private static final Path FILE = Path.of("fuzzed.scep");

    @FuzzTest(maxDuration = "10m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void read(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        int mode = in.mode(3);
        byte[] file = SectionedFuzzing.repaired(in.rest(), mode, ScepModelFile.FOOTER_MAGIC);
        try {
            ScepModelFile.decode(FILE, MemorySegment.ofArray(file));
        } catch (FileFormatException | Memory.NotEnoughMemoryException expected) {
            // the documented outcome for a file that is not a readable model
        }
    }
}

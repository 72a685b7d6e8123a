package dev.scep.formats.io;

import dev.scep.formats.Memory;
import dev.scep.formats.fuzz.ReaderFuzzTest;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The {@code .scep} reader on arbitrary bytes: a model, or {@link FileFormatException} (or a refusal to allocate what
 * the heap cannot hold); anything else, an OutOfMemoryError or a hang is a finding. Seeds (in
 * {@code ScepModelFuzzTestInputs/read}): small models of the three kinds of the scEP family (PyTorch and Keras
 * semantics, an ensemble, a sequence-only model), each whole and with its checksums repaired by the harness.
 * In CI this runs the seeds and the findings kept beside them; {@code benchmarks/fuzz.sh} fuzzes it for real.
 */
class ScepModelFuzzTest {
    private static final Path FILE = Path.of("fuzzed.scep");

    @ReaderFuzzTest
    void read(byte[] data) {
        byte[] file = SectionedFuzzing.file(data, ScepModelFile.FOOTER_MAGIC);
        try {
            ScepModelFile.decode(FILE, MemorySegment.ofArray(file));
        } catch (FileFormatException | Memory.NotEnoughMemoryException expected) {
            // the documented outcome for a file that is not a readable model
        }
    }
}

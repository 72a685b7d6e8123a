package dev.scep.formats.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scep.formats.Memory;
import dev.scep.formats.fuzz.FuzzInput;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The {@code .sced} reader on arbitrary bytes: a dataset whose every window can be unpacked, or
 * {@link FileFormatException} (or a refusal to allocate what the heap cannot hold); anything else, an
 * OutOfMemoryError or a hang is a finding. Seeds: datasets prepared from the shared alpha-globin region and from a
 * simulated tissue (with populations and targets), with small windows.
 */
class ScepDatasetFuzzTest {
    private static final Path FILE = Path.of("fuzzed.sced");

    @FuzzTest(maxDuration = "10m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void open(byte[] data) {
        FuzzInput in = FuzzInput.of(data);
        int mode = in.mode(3);
        byte[] file = SectionedFuzzing.repaired(in.rest(), mode, ScepDataset.FOOTER_MAGIC);
        try {
            ScepDataset d = ScepDataset.decode(FILE, MemorySegment.ofArray(file));
            byte[] window = new byte[d.geometry().length()];
            for (int g = 0; g < d.geneCount(); g++) {
                d.window(g, window);
                for (int p = 0; p < d.populations().size(); p++) {
                    d.target(g, p);
                }
                for (int f = 0; f < d.halfLifeNames().size(); f++) {
                    d.rawHalfLife(g, f);
                }
            }
        } catch (FileFormatException | Memory.NotEnoughMemoryException expected) {
            // the documented outcome for a file that is not a readable dataset
        }
    }
}

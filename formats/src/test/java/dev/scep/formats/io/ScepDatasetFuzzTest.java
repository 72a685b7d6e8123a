package dev.scep.formats.io;

import dev.scep.formats.Memory;
import dev.scep.formats.fuzz.ReaderFuzzTest;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The {@code .sced} reader on arbitrary bytes: a dataset whose every window can be unpacked, or
 * {@link FileFormatException} (or a refusal to allocate what the heap cannot hold); anything else, an
 * OutOfMemoryError or a hang is a finding. Seeds: datasets prepared from the shared alpha-globin region and from a
 * simulated tissue (with populations and targets), with small windows.
 */
class ScepDatasetFuzzTest {
    private static final Path FILE = Path.of("fuzzed.sced");

    @ReaderFuzzTest
    void open(byte[] data) {
        byte[] file = SectionedFuzzing.file(data, ScepDataset.FOOTER_MAGIC);
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

package dev.scep.formats.annotation;

import dev.scep.formats.fuzz.FuzzInput;
import dev.scep.formats.fuzz.ReaderFuzzTest;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.text.TsvField;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * GTF and GFF3 reading on arbitrary bytes, with gene selection and half-life features as prepare uses them: every
 * transcript that comes out is well formed (sorted, non-overlapping exons; coding bases inside them; names fit for a
 * table; finite non-negative features), or the reader fails with {@link InputFormatException}. Seeds: the shared
 * RefSeq GTF of the alpha-globin region, the same transcripts as GFF3, and GENCODE-style rows.
 */
class AnnotationFuzzTest {
    private static final Path FILE = FuzzInput.scratch("annotation").resolve("genes.gtf");

    @ReaderFuzzTest
    void read(byte[] data) throws IOException {
        Files.write(FILE, data);
        List<Transcript> all;
        try {
            all = AnnotationReader.read(FILE);
        } catch (InputFormatException expected) {
            return;   // the documented outcome for a file that is not a readable annotation
        }
        for (Transcript t : all) {
            for (String name : new String[]{t.id(), t.geneId(), t.geneName(), t.contig()}) {
                if (name != null && TsvField.firstBadChar(name) >= 0) {
                    throw new AssertionError("name with a control character passed: " + TsvField.printable(name));
                }
            }
            for (int i = 0; i < t.exonCount(); i++) {
                if (t.exonStarts()[i] < 1 || t.exonEnds()[i] < t.exonStarts()[i]
                        || i > 0 && t.exonStarts()[i] <= t.exonEnds()[i - 1]) {
                    throw new AssertionError("malformed exons passed in " + t);
                }
            }
        }
        for (boolean keep : new boolean[]{false, true}) {
            for (Transcript t : GeneSelection.select(all, GeneSelection.Options.DEFAULTS.withKeepNoncoding(keep)).transcripts()) {
                t.tss();
                for (double v : HalfLifeFeatures.of(t)) {
                    if (!(v >= 0) || Double.isInfinite(v)) {
                        throw new AssertionError("half-life feature " + v + " of " + t);
                    }
                }
            }
        }
    }
}

package dev.scep.formats.genome;

import dev.scep.formats.Memory;
import dev.scep.formats.annotation.Strand;
import dev.scep.formats.annotation.Transcript;
import dev.scep.formats.fuzz.FuzzInput;
import dev.scep.formats.fuzz.ReaderFuzzTest;
import dev.scep.formats.text.InputFormatException;
import htsjdk.samtools.util.BlockCompressedOutputStream;
import htsjdk.samtools.util.GZIIndex;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Genome reading on arbitrary bytes, the way prepare, score-variants and personal read it: windows cut around fixed
 * TSSs from a FASTA that is streamed (plain or gzip), read through a {@code .fai} (plain), or through a {@code .fai}
 * and {@code .gzi} (bgzip, compressed here so the fuzzer's bytes reach the FASTA parser; the {@code .gzi} is made
 * right or taken from the input). Every window must hold nucleotide codes only. The only acceptable failure is
 * {@link InputFormatException} (or a refusal to allocate what the heap cannot hold). Input: {@code [mode][fai][gzi]
 * fasta} ({@link FuzzInput}); seeds are slices of the shared alpha-globin region.
 */
class FastaFuzzTest {
    private static final Path DIR = FuzzInput.scratch("fasta");
    private static final Path ANNOTATION = DIR.resolve("genes.gtf");
    private static final WindowGeometry GEOMETRY = new WindowGeometry(60, 40);
    private static final List<Transcript> TRANSCRIPTS = List.of(
            transcript("chr16", 30, Strand.PLUS), transcript("chr16", 150, Strand.MINUS), transcript("16", 5, Strand.PLUS),
            transcript("chr1", 100, Strand.MINUS), transcript("chrM", 1, Strand.PLUS));

    private static Transcript transcript(String contig, long tss, Strand strand) {
        long[] starts = {tss};
        long[] ends = {tss + 20};
        if (strand == Strand.MINUS) {
            starts = new long[]{Math.max(1, tss - 20)};
            ends = new long[]{tss};
        }
        return new Transcript(contig + ":" + tss, "G" + tss, null, null, contig, strand, starts, ends, new long[0], new long[0],
                Set.of(), 1);
    }

    @ReaderFuzzTest
    void cutWindows(byte[] data) throws IOException {
        FuzzInput in = FuzzInput.of(data);
        int mode = in.mode(4);
        byte[] fai = in.part();
        byte[] gzi = in.part();
        byte[] fasta = in.rest();
        Path file = DIR.resolve("genome.fa" + (mode >= 2 ? ".gz" : ""));
        for (String f : List.of("genome.fa", "genome.fa.fai", "genome.fa.gz", "genome.fa.gz.fai", "genome.fa.gz.gzi")) {
            Files.deleteIfExists(DIR.resolve(f));
        }
        switch (mode) {
            case 0 -> Files.write(file, fasta);                       // streamed (plain, or gzip if the bytes are)
            case 1 -> {                                               // plain with an index
                Files.write(file, fasta);
                Files.write(DIR.resolve("genome.fa.fai"), fai);
            }
            default -> {                                              // bgzip with an index, the .gzi right (2) or fuzzed (3)
                try (OutputStream out = new BlockCompressedOutputStream(file.toFile())) {
                    out.write(fasta);
                }
                Files.write(DIR.resolve("genome.fa.gz.fai"), fai);
                if (mode == 2) {
                    GZIIndex.buildIndex(file).writeIndex(DIR.resolve("genome.fa.gz.gzi"));
                } else {
                    Files.write(DIR.resolve("genome.fa.gz.gzi"), gzi);
                }
            }
        }
        try (GenomeSource genome = GenomeSource.open(file)) {
            GenomeWindows.cut(genome, ANNOTATION, TRANSCRIPTS, GEOMETRY, (i, t, w) -> {
                for (byte b : w) {
                    if ("ACGTURYKMSWBDHVN".indexOf(b) < 0) {
                        throw new AssertionError("window of " + t.id() + " holds byte " + b);
                    }
                }
            });
            genome.contigNames();
        } catch (InputFormatException | Memory.NotEnoughMemoryException expected) {
            // the documented outcome for a genome that cannot be read right
        }
    }
}

package dev.scep.formats.genome;

import dev.scep.formats.TestData;
import dev.scep.formats.annotation.AnnotationReader;
import dev.scep.formats.annotation.Strand;
import dev.scep.formats.annotation.Transcript;
import dev.scep.formats.text.InputFormatException;
import htsjdk.samtools.reference.FastaSequenceIndexCreator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenomeWindowsTest {
    @TempDir
    Path dir;

    /** The region's bases, read independently of the library: every line after the header, joined. */
    private static String regionBases() throws IOException {
        List<String> lines = Files.readAllLines(TestData.regionFasta());
        return String.join("", lines.subList(1, lines.size())).strip();
    }

    /** DESIGN §3, written out base by base: position i holds transcription offset i − 7000 from the TSS. */
    private static String expectedWindow(String genome, long tss, Strand strand) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_500; i++) {
            long offset = i - 7000;
            long pos1 = strand == Strand.PLUS ? tss + offset : tss - offset; // 1-based genomic position
            char b = pos1 < 1 || pos1 > genome.length() ? 'N' : Character.toUpperCase(genome.charAt((int) pos1 - 1));
            sb.append(strand == Strand.PLUS ? b : complement(b));
        }
        return sb.toString();
    }

    private static char complement(char b) {
        return switch (b) {
            case 'A' -> 'T';
            case 'C' -> 'G';
            case 'G' -> 'C';
            case 'T' -> 'A';
            default -> b;
        };
    }

    private static Map<String, String> cut(Path fasta, List<Transcript> transcripts) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (GenomeSource g = GenomeSource.open(fasta)) {
            GenomeWindows.cut(g, TestData.refseqGtf(), transcripts, WindowGeometry.SCEP,
                    (i, t, w) -> out.put(t.id(), new String(w, StandardCharsets.US_ASCII)));
        }
        return out;
    }

    @Test
    void everyRefSeqWindowMatchesTheGenomeBaseByBaseOnBothStrands() throws IOException {
        String genome = regionBases();
        assertThat(genome).hasSize(210_155);
        List<Transcript> transcripts = AnnotationReader.read(TestData.refseqGtf());
        Map<String, String> windows = cut(TestData.regionFasta(), transcripts);
        assertThat(windows).hasSize(17);
        int minus = 0;
        for (Transcript t : transcripts) {
            assertThat(windows.get(t.id())).as(t.id()).isEqualTo(expectedWindow(genome, t.tss(), t.strand()));
            minus += t.strand() == Strand.MINUS ? 1 : 0;
        }
        assertThat(minus).isBetween(1, 16);
        // the TSS base sits at position 7000: the first transcribed base, complemented on the minus strand
        assertThat(windows.get("NM_018032").charAt(7000)).isEqualTo(complement(Character.toUpperCase(genome.charAt(42487 - 1))));
        assertThat(windows.get("NM_001284497").charAt(7000)).isEqualTo(Character.toUpperCase(genome.charAt(47583 - 1)));
        // NM_001286436 starts 364 nt before the region's end: the window's tail past the contig is N
        String tail = windows.get("NM_001286436");
        assertThat(tail.substring(7000 + 364)).matches("N{3136}");
        assertThat(tail.substring(0, 7000 + 364)).doesNotContain("N");
        assertThat(String.join("", windows.values())).doesNotContainPattern("[acgtn]");
    }

    @Test
    void indexedGzippedAndRenamedGenomesGiveTheSameWindows() throws IOException {
        List<Transcript> transcripts = AnnotationReader.read(TestData.refseqGtf());
        Map<String, String> plain = cut(TestData.regionFasta(), transcripts);

        Path indexed = dir.resolve("indexed.fa");
        Files.copy(TestData.regionFasta(), indexed);
        FastaSequenceIndexCreator.create(indexed, true);
        try (GenomeSource g = GenomeSource.open(indexed)) {
            assertThat(g).isInstanceOf(IndexedFasta.class);
        }
        assertThat(cut(indexed, transcripts)).isEqualTo(plain);

        Path gz = dir.resolve("plain-gzip.fa.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(TestData.regionFasta(), out);
        }
        assertThat(cut(gz, transcripts)).isEqualTo(plain);

        // bgzip with its .gzi and .fai: random access through htsjdk; without the .gzi: streamed
        Path bgz = dir.resolve("region.fa.gz");
        try (OutputStream out = new htsjdk.samtools.util.BlockCompressedOutputStream(bgz.toFile())) {
            Files.copy(TestData.regionFasta(), out);
        }
        assertThat(cut(bgz, transcripts)).isEqualTo(plain);
        htsjdk.samtools.util.GZIIndex.buildIndex(bgz).writeIndex(dir.resolve("region.fa.gz.gzi"));
        // a .fai holds uncompressed offsets, so the plain file's index is the bgzip file's (as samtools faidx makes it)
        Files.copy(dir.resolve("indexed.fa.fai"), dir.resolve("region.fa.gz.fai"));
        try (GenomeSource g = GenomeSource.open(bgz)) {
            assertThat(g).isInstanceOf(IndexedFasta.class);
        }
        assertThat(cut(bgz, transcripts)).isEqualTo(plain);
        // an indexed file whose name htsjdk does not take as FASTA is streamed instead
        Path odd = dir.resolve("region.seq");
        Files.copy(TestData.regionFasta(), odd);
        Files.copy(dir.resolve("indexed.fa.fai"), dir.resolve("region.seq.fai"));
        try (GenomeSource g = GenomeSource.open(odd)) {
            assertThat(g).isInstanceOf(StreamingFasta.class);
        }
        assertThat(cut(odd, transcripts)).isEqualTo(plain);

        // the FASTA calls the contig "16", the annotation "chr16": matched
        Path renamed = dir.resolve("renamed.fa");
        String text = Files.readString(TestData.regionFasta());
        Files.writeString(renamed, ">16" + text.substring(text.indexOf(' ')));
        assertThat(cut(renamed, transcripts)).isEqualTo(plain);
    }

    @Test
    void smallContigsFollowTheConventionAtBothEndsOnBothStrands() throws IOException {
        Path fa = dir.resolve("tiny.fa");
        Files.writeString(fa, ">c1\nACGTTgcaAC\n");
        WindowGeometry g = new WindowGeometry(3, 2);
        Map<String, String> out = new HashMap<>();
        try (GenomeSource genome = GenomeSource.open(fa)) {
            genome.visit(java.util.Set.of("c1"), contig -> {
                byte[] w = new byte[5];
                TssWindows.cut(contig, 2, Strand.PLUS, g, w);
                out.put("plus2", new String(w, StandardCharsets.US_ASCII));
                TssWindows.cut(contig, 10, Strand.PLUS, g, w);
                out.put("plus10", new String(w, StandardCharsets.US_ASCII));
                TssWindows.cut(contig, 2, Strand.MINUS, g, w);
                out.put("minus2", new String(w, StandardCharsets.US_ASCII));
                TssWindows.cut(contig, 9, Strand.MINUS, g, w);
                out.put("minus9", new String(w, StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> TssWindows.cut(contig, 11, Strand.PLUS, g, w)).hasMessageContaining("outside the contig");
            });
        }
        assertThat(out.get("plus2")).isEqualTo("NNACG");   // offsets -3..1 → positions -1,0,1,2,3
        assertThat(out.get("plus10")).isEqualTo("CAACN");  // 7,8,9,10,11
        // minus, TSS 2: offsets -3..1 are genomic 5,4,3,2,1 complemented: T→A, T→A, G→C, C→G, A→T
        assertThat(out.get("minus2")).isEqualTo("AACGT");
        // minus, TSS 9: genomic 12,11,10,9,8 → N, N, C→G, A→T, a→T
        assertThat(out.get("minus9")).isEqualTo("NNGTT");
    }

    @Test
    void missingContigsAreReportedAndATssPastTheEndIsAnError() throws IOException {
        Path gtf = dir.resolve("x.gtf");
        Files.writeString(gtf, """
                chr16\tx\texon\t100\t200\t.\t+\t.\tgene_id "A"; transcript_id "A";
                chrUn\tx\texon\t100\t200\t.\t+\t.\tgene_id "B"; transcript_id "B";
                """);
        List<Transcript> ts = AnnotationReader.read(gtf);
        try (GenomeSource g = GenomeSource.open(TestData.regionFasta())) {
            GenomeWindows.Report r = GenomeWindows.cut(g, gtf, ts, WindowGeometry.SCEP, (i, t, w) -> { });
            assertThat(r.windows()).isEqualTo(1);
            assertThat(r.missingContigs()).containsExactly(Map.entry("chrUn", 1));
        }
        Path far = dir.resolve("far.gtf");
        Files.writeString(far, "chr16\tx\texon\t300000\t300100\t.\t+\t.\tgene_id \"A\"; transcript_id \"A\";\n");
        try (GenomeSource g = GenomeSource.open(TestData.regionFasta())) {
            assertThatThrownBy(() -> GenomeWindows.cut(g, far, AnnotationReader.read(far), WindowGeometry.SCEP, (i, t, w) -> { }))
                    .isInstanceOf(InputFormatException.class)
                    .hasMessageContaining(far + ":1").hasMessageContaining("beyond the end of contig chr16");
        }
        Path none = dir.resolve("none.gtf");
        Files.writeString(none, "chrX\tx\texon\t3\t10\t.\t+\t.\tgene_id \"A\"; transcript_id \"A\";\n");
        try (GenomeSource g = GenomeSource.open(TestData.regionFasta())) {
            assertThatThrownBy(() -> GenomeWindows.cut(g, none, AnnotationReader.read(none), WindowGeometry.SCEP, (i, t, w) -> { }))
                    .hasMessageContaining("none of the annotation's contigs [chrX]").hasMessageContaining("[chr16]");
        }
    }

    @Test
    void aTruncatedCompressedFastaIsAnError() throws IOException {
        Path gz = dir.resolve("cut.fa.gz");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            Files.copy(TestData.regionFasta(), out);
        }
        byte[] all = bytes.toByteArray();
        Files.write(gz, java.util.Arrays.copyOf(all, all.length / 2));
        List<Transcript> ts = AnnotationReader.read(TestData.refseqGtf());
        assertThatThrownBy(() -> cut(gz, ts)).isInstanceOf(InputFormatException.class)
                .hasMessageContaining(gz.toString()).hasMessageContaining("truncated");
    }

    @Test
    void anIndexThatPromisesMoreThanTheFileHoldsIsAnError() throws IOException {
        Path fa = dir.resolve("short.fa");
        Files.copy(TestData.regionFasta(), fa);
        FastaSequenceIndexCreator.create(fa, true);
        byte[] all = Files.readAllBytes(fa);
        Files.write(fa, java.util.Arrays.copyOf(all, all.length - 5000)); // truncated after indexing
        List<Transcript> ts = AnnotationReader.read(TestData.refseqGtf());
        assertThatThrownBy(() -> cut(fa, ts)).isInstanceOf(InputFormatException.class)
                .hasMessageContaining(fa.toString()).hasMessageContaining("truncated");
    }
}

package dev.scep.formats.annotation;

import dev.scep.formats.TestData;
import dev.scep.formats.text.InputFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnnotationReaderTest {
    @TempDir
    Path dir;

    private Map<String, Transcript> refseq() throws IOException {
        return AnnotationReader.read(TestData.refseqGtf()).stream()
                .collect(Collectors.toMap(Transcript::id, Function.identity()));
    }

    @Test
    void readsEveryRefSeqTranscriptOfTheRegion() throws IOException {
        Map<String, Transcript> t = refseq();
        assertThat(t).hasSize(17);
        Transcript plus = t.get("NM_001284497");
        assertThat(plus.strand()).isEqualTo(Strand.PLUS);
        assertThat(plus.exonCount()).isEqualTo(13);
        assertThat(plus.tss()).isEqualTo(47583);
        // coding = CDS rows + the separate stop_codon row 78057-78059, merged into the last CDS 77848-78056
        assertThat(plus.codingEnds()[plus.codingEnds().length - 1]).isEqualTo(78059);
        Transcript minus = t.get("NM_018032");
        assertThat(minus.strand()).isEqualTo(Strand.MINUS);
        assertThat(minus.tss()).isEqualTo(42487); // last base of the highest exon 42316-42487
        assertThat(minus.codingStarts()[0]).isEqualTo(3001); // the stop codon 3001-3003 below CDS 3004-3172
        assertThat(t.get("NR_104317").isCoding()).isFalse();
    }

    @Test
    void halfLifeFeaturesMatchHandCounts() throws IOException {
        Map<String, Transcript> t = refseq();
        // NM_001284497 (+), 13 exons 47583-79162 (exonic 3,206 nt, span 31,580), start codon 67451, stop codon 78057-78059:
        // 5'UTR = exon 47583-47894 (312) + exon 62586-62691 (106) + 67425..67450 (26) = 444
        // ORF = 268 + 117 + 192 + 131 + 133 + 130 + 141 + 76 + 156 + 103 + 209 (CDS rows) + 3 (stop codon) = 1,659
        // 3'UTR = 78060..79162 = 1,103; introns = 31,580 − 3,206 = 28,374; density = 13 / 1,659 × 1000
        assertThat(HalfLifeFeatures.of(t.get("NM_001284497"))).containsExactly(444, 1103, 1659, 28374, 13000.0 / 1659);
        // NM_018032 (−), 9 exons 2008-42487 (exonic 2,082 nt, span 40,480), start codon 42374-42376, stop codon 3001-3003:
        // 5'UTR = 42377..42487 = 111 (transcription runs downwards); 3'UTR = 2008..3000 = 993
        // ORF = 172 (3001-3172, stop codon included) + 30 + 89 + 177 + 144 + 111 + 99 + 95 + 61 (42316-42376) = 978
        // introns = 40,480 − 2,082 = 38,398; density = 9 / 978 × 1000
        assertThat(HalfLifeFeatures.of(t.get("NM_018032"))).containsExactly(111, 993, 978, 38398, 9000.0 / 978);
        // NM_001176 (+), 6 exons 93643-96040: 5'UTR 93643..93717 = 75; ORF 73+180+84+77+64+197+3 = 678;
        // 3'UTR 95852..96040 = 189; exonic 148+180+84+77+64+389 = 942, span 2,398, introns 1,456
        assertThat(HalfLifeFeatures.of(t.get("NM_001176"))).containsExactly(75, 189, 678, 1456, 6000.0 / 678);
        // a non-coding transcript: only its intron length is non-zero
        double[] nc = HalfLifeFeatures.of(t.get("NR_104317"));
        assertThat(nc[0] + nc[1] + nc[2] + nc[4]).isZero();
        assertThat(nc[3]).isPositive();
    }

    @Test
    void gff3GivesTheSameTranscriptAsGtf() throws IOException {
        Path gff = dir.resolve("a.gff3");
        Files.writeString(gff, """
                ##gff-version 3
                chr1\ttest\tgene\t100\t400\t.\t-\t.\tID=gene:G1;Name=GENE%3B1;biotype=protein_coding
                chr1\ttest\tmRNA\t100\t400\t.\t-\t.\tID=transcript:T1;Parent=gene:G1;tag=basic,Ensembl_canonical
                chr1\ttest\texon\t100\t150\t.\t-\t.\tParent=transcript:T1
                chr1\ttest\tCDS\t120\t150\t.\t-\t0\tParent=transcript:T1
                chr1\ttest\texon\t300\t400\t.\t-\t.\tParent=transcript:T1
                chr1\ttest\tCDS\t300\t350\t.\t-\t0\tParent=transcript:T1
                """);
        Path gtf = dir.resolve("a.gtf");
        Files.writeString(gtf, """
                chr1\ttest\texon\t100\t150\t.\t-\t.\tgene_id "G1"; transcript_id "T1"; gene_name "GENE;1"; tag "basic"; tag "Ensembl_canonical";
                chr1\ttest\tCDS\t123\t150\t.\t-\t0\tgene_id "G1"; transcript_id "T1";
                chr1\ttest\tstop_codon\t120\t122\t.\t-\t0\tgene_id "G1"; transcript_id "T1";
                chr1\ttest\texon\t300\t400\t.\t-\t.\tgene_id "G1"; transcript_id "T1";
                chr1\ttest\tCDS\t300\t350\t.\t-\t0\tgene_id "G1"; transcript_id "T1";
                """);
        Transcript a = AnnotationReader.read(gff).getFirst();
        Transcript b = AnnotationReader.read(gtf).getFirst();
        assertThat(a.id()).isEqualTo("T1");
        assertThat(a.geneId()).isEqualTo("G1");
        assertThat(a.geneName()).isEqualTo("GENE;1");
        assertThat(a.tags()).contains("Ensembl_canonical");
        assertThat(b.tags()).contains("Ensembl_canonical");
        assertThat(HalfLifeFeatures.of(a)).containsExactly(HalfLifeFeatures.of(b));
        // 5'UTR 351..400 = 50, ORF 51 + 31 = 82, 3'UTR 100..119 = 20, intron 151..299 = 149, density 2/82
        assertThat(HalfLifeFeatures.of(a)).containsExactly(50, 20, 82, 149, 2000.0 / 82);
    }

    private InputFormatException fails(String gtf) throws IOException {
        Path f = dir.resolve("bad.gtf");
        Files.writeString(f, gtf);
        try {
            AnnotationReader.read(f);
        } catch (InputFormatException e) {
            assertThat(e.getMessage()).startsWith(f.toString());
            return e;
        }
        throw new AssertionError("no error for\n" + gtf);
    }

    @Test
    void overlappingExonsAreAnErrorNamingTheLine() throws IOException {
        InputFormatException e = fails("""
                chr1\tx\texon\t100\t200\t.\t+\t.\tgene_id "G"; transcript_id "T";
                chr1\tx\texon\t300\t400\t.\t+\t.\tgene_id "G"; transcript_id "T";
                chr1\tx\texon\t190\t250\t.\t+\t.\tgene_id "G"; transcript_id "T";
                """);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("overlap", "T", "line 1");
    }

    @Test
    void aTranscriptOnTwoStrandsIsAnError() throws IOException {
        InputFormatException e = fails("""
                chr1\tx\texon\t100\t200\t.\t+\t.\tgene_id "G"; transcript_id "T";
                # a comment line counts too
                chr1\tx\texon\t300\t400\t.\t-\t.\tgene_id "G"; transcript_id "T";
                """);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("both strands", "line 1");
    }

    @Test
    void otherMalformedRowsAreErrorsNamingTheLine() throws IOException {
        assertThat(fails("chr1\tx\texon\t100\t200\t.\t+\t.\tgene_id \"G\";\n").getMessage()).contains(":1:", "transcript_id");
        assertThat(fails("chr1\tx\texon\t100\tabc\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";\n").getMessage())
                .contains("not a whole number");
        assertThat(fails("chr1\tx\texon\t300\t200\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";\n").getMessage())
                .contains("before start");
        assertThat(fails("chr1\tx\texon\t100\t200\t.\t.\t.\tgene_id \"G\"; transcript_id \"T\";\n").getMessage())
                .contains("strand");
        assertThat(fails("chr1\tx\texon\t100\t200\n").getMessage()).contains("9 tab-separated columns");
        assertThat(fails("""
                chr1\tx\texon\t100\t200\t.\t+\t.\tgene_id "G"; transcript_id "T";
                chr1\tx\tCDS\t150\t260\t.\t+\t0\tgene_id "G"; transcript_id "T";
                """).getMessage()).contains(":2:", "outside its exons");
        assertThat(fails("chr1\tx\texon\t100\t200\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";\n"
                + "chr2\tx\texon\t300\t400\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";\n").getMessage()).contains("two contigs");
    }

    @Test
    void selectionPrefersTheListThenTheTagThenTheLongestCds() throws IOException {
        Path f = dir.resolve("sel.gtf");
        Files.writeString(f, """
                chr1\tx\texon\t100\t400\t.\t+\t.\tgene_id "G"; transcript_id "long";
                chr1\tx\tCDS\t110\t390\t.\t+\t0\tgene_id "G"; transcript_id "long";
                chr1\tx\texon\t150\t400\t.\t+\t.\tgene_id "G"; transcript_id "tagged"; tag "Ensembl_canonical";
                chr1\tx\tCDS\t160\t200\t.\t+\t0\tgene_id "G"; transcript_id "tagged";
                chr1\tx\texon\t120\t400\t.\t+\t.\tgene_id "G"; transcript_id "listed";
                chr1\tx\tCDS\t130\t140\t.\t+\t0\tgene_id "G"; transcript_id "listed";
                chrY\tx\texon\t100\t400\t.\t+\t.\tgene_id "Y1"; transcript_id "y";
                chrY\tx\tCDS\t110\t390\t.\t+\t0\tgene_id "Y1"; transcript_id "y";
                ERCC-00002\tx\texon\t1\t400\t.\t+\t.\tgene_id "ERCC-00002"; transcript_id "e";
                chr1\tx\texon\t1000\t1400\t.\t-\t.\tgene_id "NC"; transcript_id "nc";
                chr1\tx\texon\t2000\t2400\t.\t-\t.\tgene_id "TG"; transcript_id "tg"; gene_biotype "transgene";
                chr1\tx\tCDS\t2000\t2400\t.\t-\t0\tgene_id "TG"; transcript_id "tg";
                """);
        List<Transcript> all = AnnotationReader.read(f);
        GeneSelection.Result r = GeneSelection.select(all, GeneSelection.Options.DEFAULTS);
        assertThat(r.transcripts()).extracting(Transcript::id).containsExactly("tagged");
        assertThat(r.dropped()).containsOnlyKeys("on an excluded contig (Y, chrY)", "ERCC spike-in", "no CDS", "transgene");
        GeneSelection.Options noTag = new GeneSelection.Options(java.util.Set.of(), null, java.util.Set.of(), false);
        assertThat(GeneSelection.select(all, noTag).transcripts()).extracting(Transcript::id).contains("long", "y");
        GeneSelection.Options listed = new GeneSelection.Options(java.util.Set.of("listed"), "Ensembl_canonical",
                java.util.Set.of("chrY"), true);
        assertThat(GeneSelection.select(all, listed).transcripts()).extracting(Transcript::id).containsExactly("listed", "nc");
    }
}

package dev.scep.train.prepare;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.genome.WindowGeometry;
import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.text.FastaReader;
import dev.scep.formats.text.InputFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetPreparationTest {
    @TempDir
    Path dir;

    private static Path region(String name) {
        return SharedFiles.get("hg38-chr16-alpha-globin/" + name);
    }

    private DatasetPreparation.Options options(Path gtf, DatasetPreparation.Expression e, boolean keepNoncoding) {
        return new DatasetPreparation.Options(region("region.fa"), gtf, WindowGeometry.SCEP,
                GeneSelection.Options.DEFAULTS.withKeepNoncoding(keepNoncoding), e, dir.resolve("d.sced"),
                dir.resolve("w.fa"), dir.resolve("h.tsv"));
    }

    @Test
    void everyRefSeqTranscriptBecomesOneGeneAndTheTextFormsAgreeWithTheDataset() throws IOException {
        DatasetPreparation.Report r = DatasetPreparation.run(options(region("refseq.gtf"), null, true), new DatasetPreparation.Listener() { });
        assertThat(r.genesWritten()).isEqualTo(17);
        ScepDataset d = ScepDataset.open(dir.resolve("d.sced"));
        assertThat(d.geneCount()).isEqualTo(17);
        assertThat(d.fingerprint()).isEqualTo(r.fingerprint());
        assertThat(d.populations()).isEmpty();
        Map<String, byte[]> fasta = new HashMap<>();
        try (FastaReader f = new FastaReader(dir.resolve("w.fa"))) {
            for (FastaReader.Record rec; (rec = f.next()) != null; ) {
                fasta.put(rec.id(), rec.sequence());
            }
        }
        assertThat(fasta).hasSize(17);
        List<String> table = Files.readAllLines(dir.resolve("h.tsv"));
        assertThat(table.getFirst()).isEqualTo("id\tutr5_length\tutr3_length\torf_length\tintron_length\texon_junction_density");
        long previousTss = 0;
        for (int i = 0; i < d.geneCount(); i++) {
            ScepDataset.Gene g = d.genes().get(i);
            assertThat(d.window(i)).as(g.id()).isEqualTo(fasta.get(g.id()));
            assertThat(g.tss()).isGreaterThanOrEqualTo(previousTss);
            previousTss = g.tss();
            String[] row = table.get(i + 1).split("\t");
            assertThat(row[0]).isEqualTo(g.id());
            for (int k = 0; k < 5; k++) {
                assertThat(Double.parseDouble(row[k + 1])).isEqualTo(d.rawHalfLife(i, k));
            }
        }
        int minus = d.genes().indexOf(d.genes().stream().filter(g -> g.id().equals("NM_018032")).findFirst().orElseThrow());
        assertThat(d.rawHalfLife(minus, 2)).isEqualTo(978); // ORF, counted by hand in AnnotationReaderTest
        // without --keep-noncoding the three transcripts without CDS rows are dropped, as the paper's gene set
        DatasetPreparation.Report coding = DatasetPreparation.run(options(region("refseq.gtf"), null, false), new DatasetPreparation.Listener() { });
        assertThat(coding.genesWritten()).isEqualTo(14);
        assertThat(coding.selection().dropped().get("no CDS")).containsExactlyInAnyOrder("NR_104317", "NR_024453", "NM_001286436");
    }

    @Test
    void expressionIsMatchedToGenesAndUnmatchedGenesAreLeftOut() throws IOException {
        // a small bulk matrix for four of the region's genes, ids with version suffixes
        Path mtx = dir.resolve("bulk.mtx");
        Files.writeString(mtx, "%%MatrixMarket matrix coordinate real general\n5 3 5\n1 1 10\n1 2 30\n2 3 5\n3 1 1\n4 2 100\n");
        Files.writeString(dir.resolve("bulk.genes.tsv"), "NM_018032.4\nNM_001176.2\nNM_006849.3\nNM_003502.1\nNOT_HERE.1\n");
        Path samples = dir.resolve("samples.tsv");
        Files.writeString(samples, "sample\ttissue\ns1\tliver\ns2\tliver\ns3\tlung\n");
        DatasetPreparation.Expression e = new DatasetPreparation.Expression(mtx, null, null, samples, null,
                List.of(PopulationLevel.of("tissue")), false, true);
        DatasetPreparation.Report r = DatasetPreparation.run(options(region("refseq.gtf"), e, false), new DatasetPreparation.Listener() { });
        assertThat(r.genesWritten()).isEqualTo(4);
        assertThat(r.matches()).containsEntry(GeneMatcher.How.ID_WITHOUT_VERSION, 4).containsEntry(GeneMatcher.How.NONE, 10);
        ScepDataset d = ScepDataset.open(dir.resolve("d.sced"));
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < d.geneCount(); i++) {
            row.put(d.genes().get(i).id(), i);
        }
        assertThat(row).containsOnlyKeys("NM_018032", "NM_001176", "NM_006849", "NM_003502");
        assertThat(d.populations()).extracting(ScepDataset.Population::name).containsExactly("tissue=liver", "tissue=lung");
        assertThat(d.target(row.get("NM_018032"), 0)).isEqualTo((float) Math.log10(20));
        assertThat(d.target(row.get("NM_018032"), 1)).isEqualTo(-3f); // bulk: unexpressed → −3
        assertThat(d.target(row.get("NM_001176"), 1)).isEqualTo((float) Math.log10(5));
        assertThat(d.target(row.get("NM_003502"), 0)).isEqualTo((float) Math.log10(50));
    }

    @Test
    void aBadAnnotationFailsNamingTheLineAndLeavesEarlierOutputsAlone() throws IOException {
        DatasetPreparation.run(options(region("refseq.gtf"), null, true), new DatasetPreparation.Listener() { });
        byte[] before = Files.readAllBytes(dir.resolve("d.sced"));
        Path gtf = dir.resolve("bad.gtf");
        Files.writeString(gtf, """
                chr16\tx\texon\t47583\t47894\t.\t+\t.\tgene_id "G"; transcript_id "T";
                chr16\tx\texon\t47800\t48000\t.\t+\t.\tgene_id "G"; transcript_id "T";
                """);
        assertThatThrownBy(() -> DatasetPreparation.run(options(gtf, null, true), new DatasetPreparation.Listener() { }))
                .isInstanceOf(InputFormatException.class).hasMessageContaining(gtf + ":2").hasMessageContaining("overlap");
        assertThat(Files.readAllBytes(dir.resolve("d.sced"))).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("d.sced", "w.fa", "h.tsv", "bad.gtf");
        }
    }
}

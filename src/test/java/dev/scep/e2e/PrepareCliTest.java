package dev.scep.e2e;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.io.ScepModelFile;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** scep prepare / pseudobulk / dataset-info through the command line, on the shared real data. */
class PrepareCliTest {
    @TempDir
    Path dir;

    @Test
    void prepareWritesEveryTranscriptAndPredictReadsTheTextForms() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        Cli prep = Cli.run("prepare", "--fasta", region.resolve("region.fa"), "--gtf", region.resolve("refseq.gtf"),
                "--keep-noncoding", "--out", dir.resolve("d.sced"), "--windows-out", dir.resolve("w.fa"),
                "--halflife-out", dir.resolve("h.tsv"));
        assertThat(prep.exitCode()).as(prep.err()).isZero();
        assertThat(prep.out()).contains("17 transcripts, 17 genes selected", "wrote 17 genes × 10,500 nt windows");

        Cli info = Cli.run("dataset-info", dir.resolve("d.sced"));
        assertThat(info.exitCode()).isZero();
        assertThat(info.out()).contains("genes: 17", "populations: none", "fingerprint " + ScepDataset.open(dir.resolve("d.sced")).fingerprint());
        Cli one = Cli.run("dataset-info", dir.resolve("d.sced"), "--window", "NM_018032");
        assertThat(one.out().lines().skip(1).reduce("", String::concat))
                .isEqualTo(new String(ScepDataset.open(dir.resolve("d.sced")).window(
                        ScepDataset.open(dir.resolve("d.sced")).genes().stream().map(ScepDataset.Gene::id).toList().indexOf("NM_018032"))));

        // the text forms feed 'scep predict' directly (a random 2-output scEP model with the same half-life names)
        Architecture arch = Architecture.scepMultitask(2, 5);
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0, 1), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 5)));
        ScepModelFile.write(model, dir.resolve("m.scep"));
        Cli predict = Cli.run("predict", "--model", dir.resolve("m.scep"), "--windows", dir.resolve("w.fa"),
                "--halflife", dir.resolve("h.tsv"), "--out", dir.resolve("p.tsv"));
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(Tables.lines(dir.resolve("p.tsv"))).hasSize(18);
    }

    @Test
    void pseudobulkPrintsThePerPopulationReport() throws Exception {
        Path hsmm = SharedData.dir().resolve("hsmm-scrnaseq");
        Cli pb = Cli.run("pseudobulk", "--expression", hsmm.resolve("matrix.mtx.gz"), "--cells", hsmm.resolve("cells.tsv"),
                "--population-column", "Hours", "--population-column", "State", "--out", dir.resolve("pb.tsv"));
        assertThat(pb.exitCode()).as(pb.err()).isZero();
        assertThat(pb.out()).containsPattern("Hours=0\\s+69\\s+20,492").containsPattern("State=3\\s+43\\s+19,109")
                .contains("47,192 genes × 271 cells");
        List<String> lines = Tables.lines(dir.resolve("pb.tsv"));
        assertThat(lines).hasSize(47_193);
        assertThat(lines.getFirst()).isEqualTo("gene_id\tgene_name\tHours=0\tHours=24\tHours=48\tHours=72\tState=1\tState=2\tState=3");
        assertThat(lines.get(1)).startsWith("ENSG00000000003.10\tTSPAN6\t1.1034098\t");
    }

    @Test
    void badInputsGiveOneClearLine() throws Exception {
        Path hsmm = SharedData.dir().resolve("hsmm-scrnaseq");
        Cli missing = Cli.run("pseudobulk", "--expression", hsmm.resolve("matrix.mtx.gz"), "--cells", hsmm.resolve("cells.tsv"),
                "--population-column", "CellType", "--out", dir.resolve("pb.tsv"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("scep: error: " + hsmm.resolve("cells.tsv"))
                .contains("population column 'CellType' does not exist", "Hours", "State");
        assertThat(dir.resolve("pb.tsv")).doesNotExist();

        Cli noPopulations = Cli.run("pseudobulk", "--expression", hsmm.resolve("matrix.mtx.gz"), "--out", dir.resolve("pb.tsv"));
        assertThat(noPopulations.exitCode()).isEqualTo(2);
        assertThat(noPopulations.err()).contains("--population-column");

        Path fa = dir.resolve("trunc.fa");
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        byte[] all = Files.readAllBytes(region.resolve("region.fa"));
        Files.write(fa, java.util.Arrays.copyOf(all, 100_000)); // cut mid-contig: later TSSs lie past the end
        Cli truncated = Cli.run("prepare", "--fasta", fa, "--gtf", region.resolve("refseq.gtf"), "--out", dir.resolve("d.sced"));
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(truncated.err()).contains(region.resolve("refseq.gtf") + ":", "beyond the end of contig chr16", "truncated");
        assertThat(dir.resolve("d.sced")).doesNotExist();
    }
}

package dev.scep.e2e;

import dev.scep.formats.annotation.GeneSelection;
import dev.scep.formats.annotation.Strand;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.HalfLifeTransform;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.nativebindings.GpuProbe;
import dev.scep.nativebindings.GpuUnavailableException;
import dev.scep.runtime.Device;
import dev.scep.runtime.HalfLifeInput;
import dev.scep.runtime.Ism;
import dev.scep.runtime.IsmResult;
import dev.scep.runtime.Predictor;
import dev.scep.runtime.personal.PersonalGenomes;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.VariantScorer;
import dev.scep.runtime.variants.VariantScoring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The runtime's front door called as an application would (only exported packages), on the alpha-globin region:
 * variant scoring warm and over a whole VCF, personal genomes, prediction on each device, ISM, and the contracts
 * every front-door object keeps (results are copies, closed objects refuse to work).
 */
class RuntimeFrontDoorTest {
    private static final String GENE = "NM_001176";   // + strand, TSS 93,643 in region coordinates

    @TempDir
    static Path dir;
    static Path fasta;
    static ScepModel model;
    static GenePanel panel;
    static GenePanel.Gene gene;
    /** An SNV 100 nt upstream of the gene's TSS (1-based), and its ALT base. */
    static final long SNV = 93_643 - 100;
    static char ALT;

    @BeforeAll
    static void setUp() throws Exception {
        Path region = SharedData.dir().resolve("hg38-chr16-alpha-globin");
        fasta = region.resolve("region.fa");
        Architecture arch = Architecture.scepMultitask(2, 5);
        model = new ScepModel(arch, SequenceEncoding.SCEP, List.of(new OutputSpec("a", 0.5, 2), new OutputSpec("b", 0, 1)),
                List.of("utr5_length", "utr3_length", "orf_length", "intron_length", "exon_junction_density").stream()
                        .map(n -> new HalfLifeFeature(n, HalfLifeTransform.LOG10_PLUS_0_1, 2, 1)).toList(),
                Map.of(), List.of(ParameterInit.pytorchDefault(arch, 5)));
        panel = GenePanel.load(fasta, region.resolve("refseq.gtf"), model.windowGeometry(), GeneSelection.Options.DEFAULTS);
        gene = panel.gene(GENE).orElseThrow();
        ALT = gene.reference(SNV, 1).equals("A") ? 'C' : 'A';
    }

    /** The gene's window with one SNV applied (1-based genome position, plus-strand base). */
    private static byte[] edited(long pos, char base) {
        byte[] w = panel.window(gene);
        w[(int) (pos - (gene.tss() - 7000))] = (byte) base;
        return w;
    }

    @Test
    void windowsAreCutTheSameWayFromThePanelAndFromAPosition() throws Exception {
        assertThat(gene.tss()).isEqualTo(93_643);
        assertThat(gene.plus()).isTrue();
        byte[] w = panel.window(gene);
        assertThat(w).hasSize(10_500);
        assertThat(GenePanel.window(fasta, "chr16", gene.tss(), Strand.PLUS, model.windowGeometry())).isEqualTo(w);
        assertThat(GenePanel.window(fasta, "16", gene.tss(), Strand.PLUS, model.windowGeometry())).isEqualTo(w);
        assertThat((char) w[7000]).isEqualTo(gene.reference(gene.tss(), 1).charAt(0));
        // results are copies: changing them changes nothing inside
        w[0] = 'X';
        gene.segment()[0] = 'X';
        assertThat(panel.window(gene)[0]).isNotEqualTo((byte) 'X');
        assertThat(panel.gene("no-such-gene")).isEmpty();
        assertThatThrownBy(() -> GenePanel.window(fasta, "chr99", 10, Strand.PLUS, model.windowGeometry()))
                .hasMessageContaining("no contig 'chr99'");
    }

    @Test
    void singleVariantsAreScoredWarmAndEqualForwardPassesOfEditedWindows() throws Exception {
        long pos = SNV;
        String ref = gene.reference(pos, 1);
        char alt = ALT;
        HalfLifeInput hl = HalfLifeInput.raw(gene.halfLife());
        try (Predictor p = Predictor.of(model);
             VariantScoring scoring = VariantScoring.open(model, panel, VariantScoring.Options.defaults().withThreads(2))) {
            float[] y0 = p.predict(panel.window(gene), hl);
            float[] y1 = p.predict(edited(pos, alt), hl);
            VariantScorer.Outcome o = scoring.score("chr16", pos, ref, String.valueOf(alt));
            assertThat(o).isInstanceOf(VariantScorer.Scored.class);
            VariantScorer.Effect e = ((VariantScorer.Scored) o).effects().stream()
                    .filter(x -> x.gene().transcript().geneId().equals(GENE)).findFirst().orElseThrow();
            assertThat(e.windowPosition()).isEqualTo(6900);
            assertThat(e.kind()).isEqualTo(VariantScorer.Kind.SNV);
            float[] delta = e.delta();
            for (int k = 0; k < 2; k++) {
                assertThat(delta[k]).as("output %d", k).isCloseTo(y1[k] - y0[k], within(1e-5f));
            }
            delta[0] = 99;
            assertThat(e.delta()[0]).isNotEqualTo(99f);
            // the same variant under the VCF's other contig spelling, warm
            assertThat(scoring.score("16", pos, ref, String.valueOf(alt))).isInstanceOf(VariantScorer.Scored.class);
            // one result type per outcome
            char wrong = ref.equals("G") ? 'T' : 'G';
            assertThat(scoring.score("chr16", pos, String.valueOf(wrong), "A")).isInstanceOf(VariantScorer.RefMismatch.class);
            assertThat(scoring.score("chr16", 5000, "A", "G")).isInstanceOf(VariantScorer.OutsideWindows.class);
            assertThat(scoring.score("chr16", pos, ref, "N")).isInstanceOf(VariantScorer.Ambiguous.class);
            assertThat(scoring.score("chr16", pos, ref, "<DEL>")).isInstanceOf(VariantScorer.Skipped.class);

            // the whole-VCF job writes the same effect
            Path vcf = dir.resolve("v.vcf");
            Files.writeString(vcf, "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                    + "chr16\t5000\tfar\tA\tG\t.\t.\t.\n"
                    + "chr16\t" + pos + "\tsnv\t" + ref + "\t" + alt + "\t.\t.\t.\n");
            List<long[]> progress = new ArrayList<>();
            VariantScoring.Summary s = scoring.scoreVcf(vcf, dir.resolve("s.tsv"), (r, a) -> progress.add(new long[]{r, a}));
            assertThat(s.records()).isEqualTo(2);
            assertThat(s.scoredSnvs()).isEqualTo(1);
            assertThat(s.outsideWindows()).isEqualTo(1);
            String row = Tables.lines(dir.resolve("s.tsv")).stream()
                    .filter(r -> r.startsWith("snv\t") && r.contains("\t" + GENE + "\t")).findFirst().orElseThrow();
            String[] f = row.split("\t");
            assertThat(Float.parseFloat(f[f.length - 2])).isEqualTo(e.delta()[0]);
            assertThat(Float.parseFloat(f[f.length - 1])).isEqualTo(e.delta()[1]);

            scoring.close();
            assertThatThrownBy(() -> scoring.score("chr16", pos, ref, "A")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void personalGenomesAreTheMeanOfBothHaplotypes() throws Exception {
        long pos = SNV;
        String ref = gene.reference(pos, 1);
        char alt = ALT;
        Path vcf = dir.resolve("p.vcf");
        Files.writeString(vcf, "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n"
                + "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n"
                + "chr16\t" + pos + "\tv\t" + ref + "\t" + alt + "\t.\t.\t.\tGT\t0|1\t1|1\n");
        Path out = dir.resolve("personal.tsv");
        PersonalGenomes.Summary s = PersonalGenomes.run(model, panel, vcf, out,
                new PersonalGenomes.Options(2, PersonalGenomes.Mode.PHASED, VariantScorer.HalfLife.ANNOTATION), (d, t) -> { });
        assertThat(s.samples()).isEqualTo(2);
        assertThat(s.snvAlleles()).isEqualTo(1);
        HalfLifeInput hl = HalfLifeInput.raw(gene.halfLife());
        try (Predictor p = Predictor.of(model)) {
            float[] y0 = p.predict(panel.window(gene), hl);
            float[] y1 = p.predict(edited(pos, alt), hl);
            Map<String, float[]> expected = Map.of("S1", new float[]{(y0[0] + y1[0]) / 2, (y0[1] + y1[1]) / 2}, "S2", y1);
            for (String line : Tables.lines(out)) {
                String[] f = line.split("\t");
                if (f[1].equals(GENE)) {
                    for (int k = 0; k < 2; k++) {
                        assertThat(Double.parseDouble(f[4 + k])).as("%s output %d", f[0], k)
                                .isCloseTo(expected.get(f[0])[k], within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void predictorsOpenOnEachDeviceAndRefuseWorkWhenClosed() {
        byte[] w = panel.window(gene);
        HalfLifeInput hl = HalfLifeInput.raw(gene.halfLife());
        List<String> notes = new ArrayList<>();
        boolean gpu = GpuProbe.probe().usable();
        try (Predictor cpu = Predictor.of(model, Predictor.Options.defaults().withThreads(2));
             Predictor auto = Predictor.of(model, Predictor.Options.defaults().withDevice(Device.AUTO), notes::add)) {
            assertThat(auto.predict(w, hl)).containsExactly(cpu.predict(w, hl), within(gpu ? 1e-4f : 0f));
            if (!gpu) {
                assertThat(notes).singleElement().asString().contains("no usable GPU, running on the CPU");
            }
            float[][] batch = cpu.predictBatch(List.of(w, w), List.of(hl, hl));
            assertThat(batch[0]).containsExactly(batch[1]);
            batch[0][0] = 42;
            assertThat(cpu.predict(w, hl)[0]).isNotEqualTo(42f);
        }
        if (!gpu) {
            assertThatThrownBy(() -> Predictor.of(model, Predictor.Options.defaults().withDevice(Device.GPU)))
                    .isInstanceOf(GpuUnavailableException.class).hasMessageContaining("no usable GPU");
        }
        Predictor closed = Predictor.of(model);
        closed.close();
        assertThatThrownBy(() -> closed.predict(w, hl)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void misuseIsRefusedClearlyAndResultsCannotBeChanged() throws Exception {
        try (VariantScoring scoring = VariantScoring.open(model, panel, VariantScoring.Options.defaults().withThreads(1))) {
            String ref = gene.reference(SNV, 1);
            assertThat(scoring.score("chr16", SNV, ref, ref)).isEqualTo(new VariantScorer.Skipped("ALT equals REF"));
            assertThatThrownBy(() -> scoring.score("chr16", 0, "A", "C")).hasMessageContaining("1-based");
            Path vcf = dir.resolve("one.vcf");
            Files.writeString(vcf, "##fileformat=VCFv4.2\n##contig=<ID=chr16>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                    + "chr16\t" + SNV + "\tsnv\t" + ref + "\t" + ALT + "\t.\t.\t.\n");
            assertThat(scoring.scoreVcf(vcf, dir.resolve("one.tsv"), null).scoredSnvs()).isEqualTo(1);   // no progress wanted
        }
        GenePanel other = GenePanel.load(fasta, SharedData.dir().resolve("hg38-chr16-alpha-globin/refseq.gtf"),
                new dev.scep.formats.genome.WindowGeometry(1000, 500), GeneSelection.Options.DEFAULTS);
        GenePanel.Gene foreign = other.gene(GENE).orElseThrow();
        assertThatThrownBy(() -> panel.window(foreign)).hasMessageContaining("is not a gene of this panel");
        try (Ism ism = Ism.open(model, Predictor.Options.defaults().withThreads(1))) {
            IsmResult r = ism.run(panel.window(gene), HalfLifeInput.raw(gene.halfLife()));
            assertThatThrownBy(() -> r.delta(0, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("output 2 does not exist");
            assertThatThrownBy(() -> r.strongestPerPosition(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThat(model.members().getFirst().values().iterator().next().segment().isReadOnly()).isTrue();
        assertThat(HalfLifeInput.zeros(6)).isEqualTo(HalfLifeInput.zeros(6));
        assertThat(HalfLifeInput.raw(1, 2)).isEqualTo(HalfLifeInput.raw(1, 2)).isNotEqualTo(HalfLifeInput.raw(1, 3));
        assertThatThrownBy(() -> new PersonalGenomes.Options(1, null, VariantScorer.HalfLife.ZEROS)).hasMessageContaining("mode");
        assertThatThrownBy(() -> Predictor.of(model, null)).hasMessageContaining("options");
    }

    @Test
    void ismPicksTheIncrementalEngineAndEqualsTheNaiveOne() {
        byte[] w = panel.window(gene);
        HalfLifeInput hl = HalfLifeInput.raw(gene.halfLife());
        Predictor.Options two = Predictor.Options.defaults().withThreads(2);
        IsmResult fast;
        IsmResult slow;
        try (Ism ism = Ism.open(model, two); Ism naive = Ism.naive(model, two)) {
            assertThat(ism.incremental()).isTrue();
            assertThat(naive.incremental()).isFalse();
            fast = ism.run(w, hl);
            slow = naive.run(w, hl);
            ism.close();
            assertThatThrownBy(() -> ism.run(w, hl)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(fast.substitutions()).isEqualTo(slow.substitutions()).isEqualTo(3 * 10_500);
        for (int e = 0; e < fast.substitutions(); e += 97) {
            for (int o = 0; o < 2; o++) {
                assertThat(fast.delta(e, o)).as("substitution %d output %d", e, o).isCloseTo(slow.delta(e, o), within(1e-4f));
            }
        }
    }
}

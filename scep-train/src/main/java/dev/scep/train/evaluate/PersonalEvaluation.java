package dev.scep.train.evaluate;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.vcf.SortedVcf;
import htsjdk.variant.variantcontext.Allele;
import htsjdk.variant.variantcontext.Genotype;
import htsjdk.variant.variantcontext.VariantContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Personal-genome predictions against measured expression (the evaluation of Sasse et al. and Huang et al., 2023):
 * Spearman's r across genes within each individual, and across individuals within each gene; given one variant per
 * gene, the direction of its predicted effect (slope of the predictions on the variant's dosage) against the
 * measured one (slope of the expression on dosage, or a given beta); and, for several models, pairwise agreement on
 * the direction and magnitude of those effects.
 *
 * <p>Predictions: a TSV with a header naming {@code sample}, {@code gene_id} and the value column (the layout of
 * {@code scep personal}; other models' predictions in the same layout work alike). Expression: a gene × sample TSV,
 * the first column gene ids, the header sample names. Gene ids match exactly or without a version suffix (.12).
 * Values are compared as given: Spearman's r depends only on their order, the effect directions on the signs of
 * the slopes.
 *
 * <p>Stateless; the records hold the maps and arrays they were made with, not copies: treat them as read-only.
 */
public final class PersonalEvaluation {
    /**
     * One model's predictions: gene → sample → value.
     *
     * @param name   the model's name in reports and tables (no tab or line break)
     * @param file   the predictions table it was read from
     * @param values gene id → sample name → predicted value, as the table gives it
     */
    public record Model(String name, Path file, Map<String, Map<String, Double>> values) {
    }

    /**
     * One gene's variant: its measured effect and, per model, the predicted one (slopes on dosage).
     *
     * @param gene      the gene id, as the variants table gives it
     * @param variant   the variant, as the variants table gives it (VCF ID or contig:pos:ref:alt)
     * @param samples   samples with both a genotype and a measured expression of the gene
     * @param measured  the slope of measured expression on the dosage (copies of the alternative allele, 0 to 2), or
     *                  the table's beta; NaN when undefined (fewer than 2 samples, or one dosage for all)
     * @param predicted per model, in order, the slope of its predictions on the dosage; NaN where the model lacks the
     *                  gene or the slope is undefined
     */
    public record Effect(String gene, String variant, int samples, double measured, double[] predicted) {
        /**
         * Per model, the predicted effect.
         *
         * @return a copy
         */
        @Override
        public double[] predicted() {
            return predicted.clone();
        }
    }

    /**
     * The evaluation of several models against one expression table.
     *
     * @param models        the models, in the order given
     * @param expression    the measured expression, gene id → sample → value
     * @param perIndividual per model, Spearman's r across genes for each of its {@code individuals}
     * @param individuals   per model, the samples (sorted) it shares with the expression table
     * @param perGene       per model, Spearman's r across individuals for each of its {@code genes}
     * @param genes         per model, its gene ids (sorted) that the expression table holds
     * @param effects       the variants found with genotypes and expression, in the variants table's order; empty
     *                      without variants
     */
    public record Result(List<Model> models, Map<String, Map<String, Double>> expression, List<double[]> perIndividual,
                         List<List<String>> individuals, List<double[]> perGene, List<List<String>> genes,
                         List<Effect> effects) {
        /**
         * Per model, Spearman's r across genes for each individual.
         *
         * @return copies of the arrays
         */
        @Override
        public List<double[]> perIndividual() {
            return perIndividual.stream().map(double[]::clone).toList();
        }

        /**
         * Per model, Spearman's r across individuals for each gene.
         *
         * @return copies of the arrays
         */
        @Override
        public List<double[]> perGene() {
            return perGene.stream().map(double[]::clone).toList();
        }
    }

    private PersonalEvaluation() {
    }

    /**
     * Reads a predictions table (plain or gzip): a header naming {@code sample}, {@code gene_id} and the value column
     * (case-insensitive), one row per gene and sample.
     *
     * @param name   the model's name in reports and tables
     * @param file   the table
     * @param column the value column, or null when the table has exactly one column besides {@code sample},
     *               {@code gene_id}, {@code gene_name} and {@code alt_alleles}
     * @return the model
     * @throws IllegalArgumentException when {@code name} holds a tab or a line break
     * @throws InputFormatException     naming the file and line for an empty file, a missing column, a row of the
     *                                  wrong width, a value that is not a finite number, or a gene and sample twice
     * @throws IOException              when the file cannot be read
     */
    public static Model readPredictions(String name, Path file, String column) throws IOException {
        dev.scep.formats.text.TsvField.check("model name", name);
        Map<String, Map<String, Double>> values = new HashMap<>();
        try (Table t = new Table(file, "predictions table")) {
            String[] h = t.header;
            int sample = indexOf(h, "sample");
            int gene = indexOf(h, "gene_id");
            if (sample < 0 || gene < 0) {
                throw new InputFormatException(file, 1, "the header needs columns 'sample' and 'gene_id' (has " + List.of(h) + ")");
            }
            int value;
            if (column != null) {
                value = indexOf(h, column);
                if (value < 0) {
                    throw new InputFormatException(file, 1, "no column '" + column + "' (has " + List.of(h) + ")");
                }
            } else {
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < h.length; i++) {
                    if (!List.of("sample", "gene_id", "gene_name", "alt_alleles").contains(h[i].toLowerCase(Locale.ROOT))) {
                        candidates.add(i);
                    }
                }
                if (candidates.size() != 1) {
                    List<String> names = candidates.stream().map(i -> h[i]).toList();
                    throw new InputFormatException(file, 1, "choose the value column with --column: " + names);
                }
                value = candidates.getFirst();
            }
            int valueColumn = value;
            t.forEachRow((f, n) -> {
                if (values.computeIfAbsent(f[gene], g -> new HashMap<>()).put(f[sample], number(file, n, f[valueColumn])) != null) {
                    throw new InputFormatException(file, n, "gene " + f[gene] + " of sample " + f[sample] + " appears twice");
                }
            });
        }
        return new Model(name, file, values);
    }

    /**
     * Reads a gene × sample expression matrix (plain or gzip, tab-separated): the first column gene ids, the header
     * sample names.
     *
     * @param file the table
     * @return gene id → sample name → value
     * @throws InputFormatException naming the file and line for an empty file, fewer than two columns, a row of the
     *                              wrong width, a value that is not a finite number, or a gene twice
     * @throws IOException          when the file cannot be read
     */
    public static Map<String, Map<String, Double>> readExpression(Path file) throws IOException {
        Map<String, Map<String, Double>> values = new HashMap<>();
        try (Table t = new Table(file, "expression table")) {
            String[] h = t.header;
            if (h.length < 2) {
                throw new InputFormatException(file, 1, "expected a gene column and one column per sample, tab-separated");
            }
            t.forEachRow((f, n) -> {
                Map<String, Double> row = new HashMap<>();
                for (int i = 1; i < f.length; i++) {
                    row.put(h[i], number(file, n, f[i]));
                }
                if (values.put(f[0], row) != null) {
                    throw new InputFormatException(file, n, "gene " + f[0] + " appears twice");
                }
            });
        }
        return values;
    }

    /**
     * Evaluates the models; {@code variants} (gene_id, variant[, beta]) with {@code vcf} adds the effect directions,
     * where variant is the VCF's ID or contig:pos:ref:alt.
     *
     * @param models     the models' predictions
     * @param expression the measured expression, gene id → sample → value
     * @param variants   a TSV with columns {@code gene_id}, {@code variant} and optionally {@code beta}, or null
     * @param vcf        the genotypes the dosages come from (VCF or BCF, sorted); needed with {@code variants}
     * @return the correlations and, with variants, the effects
     * @throws IllegalArgumentException when {@code variants} is given without {@code vcf}
     * @throws InputFormatException     when a model shares no gene or no sample with the expression table, or the
     *                                  variants table or the VCF is malformed (naming the file)
     * @throws IOException              when a file cannot be read
     */
    public static Result evaluate(List<Model> models, Map<String, Map<String, Double>> expression, Path variants, Path vcf)
            throws IOException {
        Map<String, String> expressionGene = byStrippedId(expression.keySet());
        List<double[]> perIndividual = new ArrayList<>();
        List<List<String>> individuals = new ArrayList<>();
        List<double[]> perGene = new ArrayList<>();
        List<List<String>> genes = new ArrayList<>();
        for (Model m : models) {
            // gene in the predictions -> gene in the expression table
            Map<String, String> match = new LinkedHashMap<>();
            for (String g : m.values().keySet().stream().sorted().toList()) {
                String e = expression.containsKey(g) ? g : expressionGene.get(strip(g));
                if (e != null) {
                    match.put(g, e);
                }
            }
            if (match.isEmpty()) {
                throw new InputFormatException(m.file(), 0, "none of its genes is in the expression table");
            }
            List<String> samples = m.values().values().stream().flatMap(s -> s.keySet().stream()).distinct().sorted()
                    .filter(s -> expression.get(match.values().iterator().next()).containsKey(s)).toList();
            if (samples.isEmpty()) {
                throw new InputFormatException(m.file(), 0, "none of its samples is in the expression table");
            }
            double[] byIndividual = new double[samples.size()];
            for (int s = 0; s < samples.size(); s++) {
                List<double[]> pairs = new ArrayList<>();
                for (Map.Entry<String, String> e : match.entrySet()) {
                    Double p = m.values().get(e.getKey()).get(samples.get(s));
                    Double x = expression.get(e.getValue()).get(samples.get(s));
                    if (p != null && x != null) {
                        pairs.add(new double[]{p, x});
                    }
                }
                byIndividual[s] = spearman(pairs);
            }
            List<String> geneNames = new ArrayList<>(match.keySet());
            double[] byGene = new double[geneNames.size()];
            for (int g = 0; g < geneNames.size(); g++) {
                Map<String, Double> p = m.values().get(geneNames.get(g));
                Map<String, Double> x = expression.get(match.get(geneNames.get(g)));
                List<double[]> pairs = new ArrayList<>();
                for (String s : samples) {
                    if (p.containsKey(s) && x.containsKey(s)) {
                        pairs.add(new double[]{p.get(s), x.get(s)});
                    }
                }
                byGene[g] = spearman(pairs);
            }
            perIndividual.add(byIndividual);
            individuals.add(samples);
            perGene.add(byGene);
            genes.add(geneNames);
        }
        List<Effect> effects = variants == null ? List.of() : effects(models, expression, expressionGene, variants, vcf);
        return new Result(models, expression, perIndividual, individuals, perGene, genes, effects);
    }

    private static List<Effect> effects(List<Model> models, Map<String, Map<String, Double>> expression,
                                        Map<String, String> expressionGene, Path variants, Path vcf) throws IOException {
        if (vcf == null) {
            throw new IllegalArgumentException("the variants' dosages come from the genotypes: give the VCF too");
        }
        record Wanted(String gene, String variant, Double beta) {
        }
        List<Wanted> wanted = new ArrayList<>();
        try (Table t = new Table(variants, "variants table")) {
            String[] h = t.header;
            int gene = indexOf(h, "gene_id");
            int variant = indexOf(h, "variant");
            int beta = indexOf(h, "beta");
            if (gene < 0 || variant < 0) {
                throw new InputFormatException(variants, 1, "the header needs columns 'gene_id' and 'variant' (and optionally 'beta')");
            }
            t.forEachRow((f, n) -> wanted.add(new Wanted(f[gene], f[variant], beta < 0 ? null : number(variants, n, f[beta]))));
        }
        Map<String, Map<String, Integer>> dosages = dosages(vcf, wanted.stream().map(Wanted::variant).toList());
        List<Effect> out = new ArrayList<>();
        List<Map<String, String>> modelGene = models.stream().map(m -> byStrippedId(m.values().keySet())).toList();
        for (Wanted w : wanted) {
            Map<String, Integer> d = dosages.get(w.variant());
            String eg = expression.containsKey(w.gene()) ? w.gene() : expressionGene.get(strip(w.gene()));
            if (d == null || eg == null) {
                continue;   // reported as not found by the caller's count
            }
            List<String> samples = d.keySet().stream().filter(expression.get(eg)::containsKey).sorted().toList();
            double[] x = samples.stream().mapToDouble(d::get).toArray();
            double measured = w.beta() != null ? w.beta()
                    : Metrics.slope(x, samples.stream().mapToDouble(s -> expression.get(eg).get(s)).toArray());
            double[] predicted = new double[models.size()];
            for (int m = 0; m < models.size(); m++) {
                Map<String, Double> p = models.get(m).values().get(w.gene());
                if (p == null) {
                    String g = modelGene.get(m).get(strip(w.gene()));
                    p = g == null ? null : models.get(m).values().get(g);
                }
                if (p == null) {
                    predicted[m] = Double.NaN;
                    continue;
                }
                Map<String, Double> pp = p;
                List<String> both = samples.stream().filter(pp::containsKey).toList();
                predicted[m] = Metrics.slope(both.stream().mapToDouble(d::get).toArray(), both.stream().mapToDouble(pp::get).toArray());
            }
            out.add(new Effect(w.gene(), w.variant(), samples.size(), measured, predicted));
        }
        return out;
    }

    /**
     * Per wanted variant (ID or contig:pos:ref:alt), per sample, the number of copies of its alternative allele. The
     * VCF is read by {@link SortedVcf}, as the variant jobs read it, so the same file passes or fails the same checks
     * (order, samples named twice, unparsable records) here as there.
     */
    private static Map<String, Map<String, Integer>> dosages(Path vcf, List<String> wanted) throws IOException {
        java.util.Set<String> want = new java.util.HashSet<>(wanted);
        Map<String, Map<String, Integer>> out = new HashMap<>();
        try (SortedVcf reader = new SortedVcf(vcf)) {
            List<String> samples = reader.samples();
            VariantContext vc;
            while ((vc = reader.next()) != null) {
                for (int a = 1; a < vc.getAlleles().size(); a++) {
                    Allele alt = vc.getAlleles().get(a);
                    String key = vc.getContig() + ":" + vc.getStart() + ":" + vc.getReference().getBaseString() + ":" + alt.getDisplayString();
                    String toggled = dev.scep.formats.genome.GenomeWindows.toggleChr(vc.getContig())
                            + key.substring(vc.getContig().length());
                    String hit = want.contains(key) ? key : want.contains(toggled) ? toggled
                            : vc.hasID() && want.contains(vc.getID()) && vc.getAlleles().size() == 2 ? vc.getID() : null;
                    if (hit == null) {
                        continue;
                    }
                    Map<String, Integer> d = new HashMap<>();
                    for (int s = 0; s < samples.size(); s++) {
                        Genotype g = vc.getGenotype(s);
                        int copies = 0;
                        for (Allele x : g.getAlleles()) {
                            copies += x.equals(alt) ? 1 : 0;
                        }
                        d.put(samples.get(s), copies);
                    }
                    out.put(hit, d);
                }
            }
        } catch (htsjdk.tribble.TribbleException | htsjdk.samtools.SAMException e) {
            throw SortedVcf.unreadable(vcf, e);
        }
        return out;
    }

    /**
     * The report: per model, the two Spearman distributions with histograms; the effect directions; model pairs.
     *
     * @param r              the evaluation
     * @param wantedVariants the rows of the variants table (0 without one), reported beside the number found
     * @return plain text, lines ending in the platform's line separator
     */
    public static String report(Result r, int wantedVariants) {
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < r.models().size(); m++) {
            Model model = r.models().get(m);
            sb.append(String.format(Locale.ROOT, "== %s (%s)%n", model.name(), model.file()));
            describe(sb, "across genes, per individual", r.perIndividual().get(m), "individuals");
            describe(sb, "across individuals, per gene", r.perGene().get(m), "genes");
        }
        if (!r.effects().isEmpty() || wantedVariants > 0) {
            sb.append(String.format(Locale.ROOT, "== effect direction: %,d of %,d variants found with genotypes and expression%n",
                    r.effects().size(), wantedVariants));
            for (int m = 0; m < r.models().size(); m++) {
                int agree = 0;
                int n = 0;
                List<double[]> pairs = new ArrayList<>();
                for (Effect e : r.effects()) {
                    double p = e.predicted()[m];
                    if (Double.isFinite(p) && Double.isFinite(e.measured()) && p != 0 && e.measured() != 0) {
                        n++;
                        agree += Math.signum(p) == Math.signum(e.measured()) ? 1 : 0;
                        pairs.add(new double[]{p, e.measured()});
                    }
                }
                sb.append(String.format(Locale.ROOT, "%-20s predicted direction matches the measured one for %,d of %,d genes (%.1f%%);"
                                + " Spearman r of predicted vs measured effect %.3f%n", r.models().get(m).name(), agree, n,
                        n == 0 ? Double.NaN : 100.0 * agree / n, spearman(pairs)));
            }
            for (int a = 0; a < r.models().size(); a++) {
                for (int b = a + 1; b < r.models().size(); b++) {
                    int same = 0;
                    int n = 0;
                    List<double[]> pairs = new ArrayList<>();
                    List<Double> ratio = new ArrayList<>();
                    for (Effect e : r.effects()) {
                        double x = e.predicted()[a];
                        double y = e.predicted()[b];
                        if (Double.isFinite(x) && Double.isFinite(y) && x != 0 && y != 0) {
                            n++;
                            same += Math.signum(x) == Math.signum(y) ? 1 : 0;
                            pairs.add(new double[]{x, y});
                            ratio.add(Math.abs(x) / Math.abs(y));
                        }
                    }
                    sb.append(String.format(Locale.ROOT, "%s vs %s: same direction for %,d of %,d genes (%.1f%%); Spearman r of"
                                    + " effects %.3f; median |%s| / |%s| = %.3g%n", r.models().get(a).name(), r.models().get(b).name(),
                            same, n, n == 0 ? Double.NaN : 100.0 * same / n, spearman(pairs), r.models().get(a).name(),
                            r.models().get(b).name(), Metrics.median(ratio.stream().mapToDouble(Double::doubleValue).toArray())));
                }
            }
        }
        return sb.toString();
    }

    /**
     * Writes per_individual.tsv, per_gene.tsv and (with variants) effects.tsv into {@code dir} (made if missing, its
     * parent must exist), never over one of {@code inputs}.
     *
     * @param r      the evaluation
     * @param dir    the output folder
     * @param inputs the files the job read (no output may replace one)
     * @throws IllegalArgumentException when a model name holds a tab or a line break
     * @throws java.nio.file.NoSuchFileException when the parent of {@code dir} does not exist
     * @throws dev.scep.formats.io.OutputIsInputException when an output is one of {@code inputs}
     * @throws IOException when a table cannot be written
     */
    public static void writeTables(Result r, Path dir, Path... inputs) throws IOException {
        for (Model m : r.models()) {
            dev.scep.formats.text.TsvField.check("model name", m.name());
        }
        OutputFile.folder(dir);
        try (OutputFile f = OutputFile.createTable(dir.resolve("per_individual.tsv"), inputs)) {
            Writer w = f.writer();
            w.write("model\tsample\tspearman\n");
            List<double[]> perIndividual = r.perIndividual();
            for (int m = 0; m < r.models().size(); m++) {
                for (int s = 0; s < r.individuals().get(m).size(); s++) {
                    w.write(r.models().get(m).name() + "\t" + r.individuals().get(m).get(s) + "\t" + perIndividual.get(m)[s] + "\n");
                }
            }
            f.commit();
        }
        try (OutputFile f = OutputFile.createTable(dir.resolve("per_gene.tsv"), inputs)) {
            Writer w = f.writer();
            w.write("model\tgene_id\tspearman\n");
            List<double[]> perGene = r.perGene();
            for (int m = 0; m < r.models().size(); m++) {
                for (int g = 0; g < r.genes().get(m).size(); g++) {
                    w.write(r.models().get(m).name() + "\t" + r.genes().get(m).get(g) + "\t" + perGene.get(m)[g] + "\n");
                }
            }
            f.commit();
        }
        if (!r.effects().isEmpty()) {
            try (OutputFile f = OutputFile.createTable(dir.resolve("effects.tsv"), inputs)) {
                Writer w = f.writer();
                w.write("gene_id\tvariant\tsamples\tmeasured");
                for (Model m : r.models()) {
                    w.write("\t" + m.name());
                }
                w.write('\n');
                for (Effect e : r.effects()) {
                    w.write(e.gene() + "\t" + e.variant() + "\t" + e.samples() + "\t" + e.measured());
                    for (double p : e.predicted()) {
                        w.write("\t" + p);
                    }
                    w.write('\n');
                }
                f.commit();
            }
        }
    }

    private static void describe(StringBuilder sb, String what, double[] r, String unit) {
        double[] finite = java.util.Arrays.stream(r).filter(Double::isFinite).toArray();
        sb.append(String.format(Locale.ROOT, "Spearman r %s: %,d %s, median %.3f, mean %.3f%s%n", what, finite.length, unit,
                Metrics.median(finite), java.util.Arrays.stream(finite).average().orElse(Double.NaN),
                finite.length < r.length ? String.format(Locale.ROOT, " (%,d undefined: constant predictions or expression)",
                        r.length - finite.length) : ""));
        int[] bins = new int[10];
        for (double v : finite) {
            bins[Math.min(9, (int) Math.floor((v + 1) / 0.2))]++;
        }
        int max = java.util.Arrays.stream(bins).max().orElse(1);
        for (int b = 0; b < 10; b++) {
            sb.append(String.format(Locale.ROOT, "  [%5.1f, %4.1f%s %6d %s%n", -1 + 0.2 * b, -0.8 + 0.2 * b, b == 9 ? "]" : ")",
                    bins[b], "#".repeat(max == 0 ? 0 : (int) Math.round(40.0 * bins[b] / max))));
        }
    }

    private static double spearman(List<double[]> pairs) {
        return Metrics.spearman(pairs.stream().mapToDouble(p -> p[0]).toArray(), pairs.stream().mapToDouble(p -> p[1]).toArray());
    }

    private static Map<String, String> byStrippedId(java.util.Set<String> ids) {
        Map<String, String> m = new HashMap<>();
        for (String id : ids) {
            m.putIfAbsent(strip(id), id);
        }
        return m;
    }

    private static String strip(String id) {
        return id.replaceFirst("\\.\\d+$", "");
    }

    /** A tab-separated table: its header line, then rows that must have as many fields (empty lines skipped). */
    private static final class Table implements java.io.Closeable {
        interface Row {
            void accept(String[] fields, long line) throws IOException;
        }

        final Path file;
        final BufferedReader reader;
        final String[] header;
        private long headerLine;

        Table(Path file, String what) throws IOException {
            this.file = file;
            this.reader = new BufferedReader(new java.io.InputStreamReader(dev.scep.formats.text.TextInput.open(file),
                    StandardCharsets.UTF_8));
            String line = reader.readLine();
            long at = 1;
            while (line != null && line.startsWith("#")) {   // provenance lines
                line = reader.readLine();
                at++;
            }
            if (line == null) {
                reader.close();
                throw new InputFormatException(file, at, "empty " + what);
            }
            this.header = line.split("\t", -1);
            this.headerLine = at;
        }

        void forEachRow(Row row) throws IOException {
            String line;
            long n = headerLine;
            while ((line = reader.readLine()) != null) {
                n++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != header.length) {
                    throw new InputFormatException(file, n, f.length + " fields, the header has " + header.length);
                }
                row.accept(f, n);
            }
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static double number(Path file, long line, String text) throws InputFormatException {
        try {
            double v = Double.parseDouble(text.strip());
            if (!Double.isFinite(v)) {
                throw new InputFormatException(file, line, "value " + text + " is not a finite number");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputFormatException(file, line, "not a number: '" + text + "'");
        }
    }
}

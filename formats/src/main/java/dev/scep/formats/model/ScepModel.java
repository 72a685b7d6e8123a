package dev.scep.formats.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@code .scep} file holds: architecture, input encoding, outputs with their z-score, half-life
 * features with their normalisation, provenance, and one or more ensemble members (predictions are averaged).
 * The constructor validates that all parts agree, so an instance is always usable by the engines.
 *
 * <p>Immutable (collections are copied into unmodifiable ones; tensors are read-only) and safe to share between
 * threads.
 *
 * @param architecture     the network
 * @param encoding         how windows become input channels, and the window's geometry
 * @param outputs          the outputs, in the order the network produces them, with the z-score to undo
 * @param halfLifeFeatures the half-life inputs, in input order, with their normalisation
 * @param provenance       free-form key → value: dataset fingerprint, fold, seed, epochs, source file digests, scep
 *                         version...
 * @param members          the ensemble members (at least one), each tensor name → tensor for every entry of
 *                         {@link Architecture#parameterShapes()}; predictions average them
 */
public record ScepModel(Architecture architecture,
                        SequenceEncoding encoding,
                        List<OutputSpec> outputs,
                        List<HalfLifeFeature> halfLifeFeatures,
                        Map<String, String> provenance,
                        List<Map<String, Tensor>> members) {

    /**
     * Copies the collections and checks that the parts agree.
     *
     * @throws IllegalArgumentException when the shapes do not chain for the encoding's window, the output count or
     *                                  half-life feature count does not fit the network, output names repeat, there is
     *                                  no member, or a member lacks a tensor, has an extra one, one of the wrong shape
     *                                  or one holding a non-finite value
     */
    public ScepModel {
        outputs = List.copyOf(outputs);
        halfLifeFeatures = List.copyOf(halfLifeFeatures);
        provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        members = members.stream().map(m -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m))).toList();
        validate(architecture, encoding, outputs, halfLifeFeatures, members);
    }

    /**
     * The window the model reads around a TSS.
     *
     * @return bases upstream and downstream of the TSS
     */
    public dev.scep.formats.genome.WindowGeometry windowGeometry() {
        return new dev.scep.formats.genome.WindowGeometry(encoding.upstream(), encoding.downstream());
    }

    /**
     * The window length the model reads.
     *
     * @return upstream + downstream, in bases
     */
    public int windowLength() {
        return encoding.windowLength();
    }

    /**
     * The output names.
     *
     * @return the names, in output order (a new immutable list)
     */
    public List<String> outputNames() {
        return outputs.stream().map(OutputSpec::name).toList();
    }

    /**
     * Raw network outputs (z-scored) with each output's z-score undone, as predictions are reported.
     *
     * @param z one window's raw outputs, in output order
     * @return a new array: log10 expression per output
     */
    public float[] unscale(double[] z) {
        float[] out = new float[z.length];
        for (int o = 0; o < z.length; o++) {
            out[o] = (float) outputs.get(o).unscale(z[o]);
        }
        return out;
    }

    /**
     * One parameter tensor.
     *
     * @param member 0-based ensemble member index
     * @param name   the tensor's name, e.g. {@code conv1.weight}
     * @return the tensor
     * @throws IllegalArgumentException  when the member has no tensor of that name
     * @throws IndexOutOfBoundsException when there is no such member
     */
    public Tensor tensor(int member, String name) {
        Tensor t = members.get(member).get(name);
        if (t == null) {
            throw new IllegalArgumentException("member " + member + " has no tensor " + name);
        }
        return t;
    }

    private static void validate(Architecture arch, SequenceEncoding enc, List<OutputSpec> outputs,
                                 List<HalfLifeFeature> halfLife, List<Map<String, Tensor>> members) {
        arch.checkShapes(enc.windowLength(), halfLife.size());
        if (arch.outputCount() != outputs.size()) {
            throw new IllegalArgumentException("the network has " + arch.outputCount() + " outputs but "
                    + outputs.size() + " output names are given");
        }
        if (outputs.stream().map(OutputSpec::name).distinct().count() != outputs.size()) {
            throw new IllegalArgumentException("output names must be unique: " + outputs.stream().map(OutputSpec::name).toList());
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one ensemble member");
        }
        List<Architecture.ParameterShape> expected = arch.parameterShapes();
        for (int m = 0; m < members.size(); m++) {
            Map<String, Tensor> tensors = members.get(m);
            if (tensors.size() != expected.size()) {
                throw new IllegalArgumentException("member " + m + " has tensors " + tensors.keySet() + " but the architecture needs "
                        + expected.stream().map(Architecture.ParameterShape::name).toList());
            }
            for (Architecture.ParameterShape p : expected) {
                Tensor t = tensors.get(p.name());
                if (t == null) {
                    throw new IllegalArgumentException("member " + m + " lacks tensor " + p.name());
                }
                if (!Arrays.equals(t.shape(), p.shape())) {
                    throw new IllegalArgumentException("member " + m + " tensor " + p.name() + " has shape "
                            + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(p.shape()));
                }
                long bad = t.firstNonFinite();
                if (bad >= 0) {
                    throw new IllegalArgumentException("member " + m + " tensor " + p.name() + " holds a non-finite value ("
                            + t.get(bad) + ") at flat index " + bad);
                }
            }
        }
    }
}

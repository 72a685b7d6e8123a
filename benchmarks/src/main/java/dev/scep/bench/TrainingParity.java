package dev.scep.bench;

import dev.scep.formats.io.ScepDataset;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.OutputSpec;
import dev.scep.formats.model.ParameterInit;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.model.SequenceEncoding;
import dev.scep.formats.model.Tensor;
import dev.scep.runtime.cpu.Kernels;
import dev.scep.train.cpu.Adam;
import dev.scep.train.cpu.Parameters;
import dev.scep.train.cpu.TrainingNetwork;
import dev.scep.train.cpu.TrainingSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Training parity with libtorch: the same initial weights, the same batches (no dropout), MSE and Adam, step by
 * step; prints both losses per step and the largest weight difference at the end.
 *
 * <p>Usage: {@code TrainingParity DATASET.sced [steps=30] [outputs=all]}
 */
public final class TrainingParity {
    public static void main(String[] args) throws Exception {
        ScepDataset d = ScepDataset.open(Path.of(args[0]));
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int pops = args.length > 2 ? Integer.parseInt(args[2]) : d.populations().size();
        int batch = 128;
        TrainingSet set = TrainingSet.of(d, IntStream.range(0, d.geneCount()).toArray(), new int[0],
                IntStream.range(0, pops).toArray(), true);
        Architecture arch = Architecture.scepMultitask(pops, 5, d.geometry().length());
        Map<String, Tensor> init = ParameterInit.pytorchDefault(arch, 42);

        // scep
        TrainingNetwork net = new TrainingNetwork(arch, SequenceEncoding.SCEP, 5, Kernels.best());
        Parameters params = Parameters.of(arch, init);
        Adam adam = new Adam(params);
        TrainingNetwork.Work work = net.newWork();
        TrainingNetwork.Gradients g = net.newGradients();
        Parameters grad = Parameters.zeros(arch);
        byte[] ascii = new byte[d.geometry().length()];
        byte[] masks = new byte[d.geometry().length()];
        float[] hl = new float[5];
        float[] t = new float[pops];
        float[] gy = new float[pops];
        double[] scepLoss = new double[steps];

        // libtorch
        ScepModel model = new ScepModel(arch, SequenceEncoding.SCEP, set.outputs(), set.halfLifeFeatures(), Map.of(), List.of(init));
        double[] torchLoss = new double[steps];
        try (LibtorchNetwork tn = new LibtorchNetwork(model)) {
            TensorVector tp = new TensorVector();
            for (org.bytedeco.pytorch.Tensor x : tn.parameters()) {
                x.set_requires_grad(true);
                tp.push_back(x);
            }
            org.bytedeco.pytorch.Adam tAdam = new org.bytedeco.pytorch.Adam(tp, new AdamOptions(5e-4));
            for (int s = 0; s < steps; s++) {
                int from = (s * batch) % (d.geneCount() - batch);
                // scep step
                TrainingNetwork.Packed packed = net.pack(params);
                g.clear();
                double loss = 0;
                List<byte[]> windows = new ArrayList<>();
                float[][] hls = new float[batch][5];
                float[] targets = new float[batch * pops];
                for (int i = 0; i < batch; i++) {
                    int gene = from + i;
                    set.codes(gene, ascii, masks);
                    work.setCodes(masks);
                    set.halfLife(gene, hl);
                    set.targets(gene, t);
                    float[] y = net.forward(packed, work, hl, null);
                    for (int o = 0; o < pops; o++) {
                        float diff = y[o] - t[o];
                        loss += diff * diff;
                        gy[o] = 2f * diff / (batch * pops);
                    }
                    net.backward(packed, work, gy, g);
                    windows.add(d.window(gene));
                    hls[i] = hl.clone();
                    System.arraycopy(t, 0, targets, i * pops, pops);
                }
                grad.clear();
                g.addTo(grad);
                adam.step(params, grad, 5e-4);
                scepLoss[s] = loss / (batch * pops);
                // libtorch step on the same batch
                try (PointerScope scope = new PointerScope()) {
                    tAdam.zero_grad();
                    org.bytedeco.pytorch.Tensor l = torch.mse_loss(tn.forwardTrain(tn.oneHot(windows), tn.halfLife(hls)),
                            org.bytedeco.pytorch.Tensor.create(targets, batch, pops));
                    torchLoss[s] = l.item_double();
                    l.backward();
                    tAdam.step();
                }
                System.out.printf("step %3d  scep %.6f  libtorch %.6f  diff %.2e%n", s + 1, scepLoss[s], torchLoss[s],
                        Math.abs(scepLoss[s] - torchLoss[s]));
            }
            double maxDiff = 0;
            List<org.bytedeco.pytorch.Tensor> tensors = tn.parameters();
            List<Architecture.ParameterShape> shapes = arch.parameterShapes();
            for (int k = 0; k < shapes.size(); k++) {
                org.bytedeco.pytorch.Tensor x = tensors.get(k).detach().contiguous();
                java.nio.FloatBuffer b = x.createBuffer();
                float[] ours = params.get(shapes.get(k).name());
                for (int i = 0; i < ours.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(ours[i] - b.get(i)));
                }
            }
            System.out.printf("after %d steps: largest |weight difference| %.3e%n", steps, maxDiff);
        }
    }
}

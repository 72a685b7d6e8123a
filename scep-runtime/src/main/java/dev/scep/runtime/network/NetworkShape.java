package dev.scep.runtime.network;

import dev.scep.formats.model.Activation;
import dev.scep.formats.model.Architecture;
import dev.scep.formats.model.FlattenOrder;
import dev.scep.formats.model.Layer;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.cpu.Kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a scEP-family network for one window length, worked out once from its {@link Architecture}: each
 * convolution block's lengths, padded channel strides and pooling geometry, where each block writes its pooled rows,
 * the flatten index, and the dense steps. The CPU forward engine, incremental ISM, the trainer and the GPU engine all
 * read it here instead of each deriving it again. Maps are position-major, {@code map[row × stride + channel]}, with
 * strides padded to {@link Kernels#CHANNEL_ALIGN} (see {@link Kernels}).
 */
public final class NetworkShape {
    private final int window;
    private final LookupBlock first;
    private final List<GemmBlock> gemmBlocks;
    private final List<ConvBlock> blocks;
    private final FlattenOrder flattenOrder;
    private final int finalChannels;
    private final int finalStride;
    private final int finalLength;
    private final int halfLifeCount;
    private final List<DenseStep> dense;

    /** A convolution followed by max pooling; the first one reads the window, later ones the previous pooled map. */
    public sealed interface ConvBlock permits LookupBlock, GemmBlock {
        Layer.Conv1d conv();

        /** Input positions, without the convolution's zero padding. */
        int inLength();

        /** Convolution output positions (the pool's input). */
        int convLength();

        /** Channel stride of the convolution's output and of the pooled map: out channels, padded. */
        int outStride();

        PoolGeometry pool();

        /**
         * The row of the pooled map this block writes where its first pooled value goes: the next convolution's left
         * padding (that map is the next block's zero-padded input), 0 after the last block.
         */
        int outRow0();

        /** Rows of the pooled map this block writes: the next block's padded input, or the final map's length. */
        int outRows();

        /** Input rows with the convolution's zero padding on both sides. */
        default int paddedInputLength() {
            return conv().padLeft() + inLength() + conv().padRight();
        }

        default boolean relu() {
            return isRelu(conv().activation());
        }
    }

    /**
     * The first block, computed by pair-table look-ups over the window's base codes ({@link PairTable}): the
     * convolution's taps grouped in {@code groups} pairs; its input is the window itself.
     */
    public record LookupBlock(Layer.Conv1d conv, int inLength, int convLength, int outStride, int groups, PoolGeometry pool,
                              int outRow0, int outRows) implements ConvBlock {
    }

    /**
     * A later block: one matrix product over the previous pooled map ({@code inStride} floats a row) with its zero
     * padding rows, where the {@code depth} = kernel × inStride floats a convolution output reads are contiguous.
     */
    public record GemmBlock(Layer.Conv1d conv, int inLength, int convLength, int inStride, int outStride, PoolGeometry pool,
                            int outRow0, int outRows) implements ConvBlock {
        public int depth() {
            return conv.kernel() * inStride;
        }
    }

    /** A dense layer, its outputs padded to {@code outStride}, and the rate of the dropout after it (0 if none). */
    public record DenseStep(Layer.Dense layer, int outStride, float dropout) {
        public int in() {
            return layer.inFeatures();
        }

        public int out() {
            return layer.outFeatures();
        }

        public boolean relu() {
            return isRelu(layer.activation());
        }
    }

    public static NetworkShape of(ScepModel model) {
        return new NetworkShape(model.architecture(), model.windowLength(), model.halfLifeFeatures().size());
    }

    /** The shape for windows of {@code window} bases and {@code halfLifeCount} half-life inputs (checked to chain). */
    public NetworkShape(Architecture architecture, int window, int halfLifeCount) {
        architecture.checkShapes(window, halfLifeCount);
        this.window = window;
        this.halfLifeCount = halfLifeCount;
        List<Layer.Conv1d> convs = architecture.convolutions();
        List<Layer.MaxPool1d> pools = architecture.pools();
        // lengths and strides first: where a block writes its pooled rows depends on the next block's padding
        int blockCount = convs.size();
        int[] inLength = new int[blockCount];
        int[] convLength = new int[blockCount];
        int[] stride = new int[blockCount];
        PoolGeometry[] pool = new PoolGeometry[blockCount];
        int length = window;
        for (int b = 0; b < blockCount; b++) {
            Layer.Conv1d c = convs.get(b);
            inLength[b] = length;
            convLength[b] = c.outputLength(length);
            stride[b] = Kernels.padChannels(c.outChannels());
            pool[b] = PoolGeometry.of(pools.get(b), convLength[b]);
            length = pool[b].outputLength();
        }
        List<ConvBlock> all = new ArrayList<>();
        for (int b = 0; b < blockCount; b++) {
            Layer.Conv1d c = convs.get(b);
            boolean last = b + 1 == blockCount;
            int outRow0 = last ? 0 : convs.get(b + 1).padLeft();
            int outRows = last ? length : convs.get(b + 1).padLeft() + inLength[b + 1] + convs.get(b + 1).padRight();
            all.add(b == 0
                    ? new LookupBlock(c, inLength[b], convLength[b], stride[b], PairTable.groups(c.kernel()), pool[b], outRow0, outRows)
                    : new GemmBlock(c, inLength[b], convLength[b], stride[b - 1], stride[b], pool[b], outRow0, outRows));
        }
        this.blocks = List.copyOf(all);
        this.first = (LookupBlock) all.getFirst();
        this.gemmBlocks = all.subList(1, blockCount).stream().map(b -> (GemmBlock) b).toList();
        this.flattenOrder = architecture.flatten().order();
        this.finalChannels = convs.getLast().outChannels();
        this.finalStride = stride[blockCount - 1];
        this.finalLength = length;
        List<DenseStep> steps = new ArrayList<>();
        List<Layer> layers = architecture.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Layer.Dense d) {
                float rate = i + 1 < layers.size() && layers.get(i + 1) instanceof Layer.Dropout dr ? dr.rate() : 0f;
                steps.add(new DenseStep(d, Kernels.padChannels(d.outFeatures()), rate));
            }
        }
        this.dense = List.copyOf(steps);
    }

    /** Every engine implements exactly these activations; a new one fails to compile here first. */
    private static boolean isRelu(Activation a) {
        return switch (a) {
            case RELU -> true;
            case NONE -> false;
        };
    }

    public int window() {
        return window;
    }

    /** The first convolution block (look-up tables over base codes). */
    public LookupBlock first() {
        return first;
    }

    /** The blocks after the first (matrix products), in order. */
    public List<GemmBlock> gemmBlocks() {
        return gemmBlocks;
    }

    /** All convolution blocks in order: {@link #first()}, then {@link #gemmBlocks()}. */
    public List<ConvBlock> blocks() {
        return blocks;
    }

    /** The last block's pooling, whose output is flattened. */
    public PoolGeometry lastPool() {
        return blocks.getLast().pool();
    }

    public FlattenOrder flattenOrder() {
        return flattenOrder;
    }

    /** Real (unpadded) channels of the final pooled map. */
    public int finalChannels() {
        return finalChannels;
    }

    /** Channel stride of the final pooled map (padded). */
    public int finalStride() {
        return finalStride;
    }

    /** Positions of the final pooled map. */
    public int finalLength() {
        return finalLength;
    }

    /** Flattened sequence features: channels × positions. */
    public int flatSize() {
        return finalChannels * finalLength;
    }

    public int halfLifeCount() {
        return halfLifeCount;
    }

    /** The first dense layer's input: flattened features, then the half-life features. */
    public int denseInputs() {
        return flatSize() + halfLifeCount;
    }

    /** Where the final map's value at (channel, position) goes in the flattened vector. */
    public int flatIndex(int channel, int position) {
        return flattenOrder == FlattenOrder.CHANNEL_MAJOR ? channel * finalLength + position : position * finalChannels + channel;
    }

    /**
     * Flattens the final pooled map ({@code map[position × finalStride + channel]}) into {@code x[0, flatSize)}.
     * Position-major order keeps each row's channels together, so it copies whole rows.
     */
    public void flatten(float[] map, float[] x) {
        if (flattenOrder == FlattenOrder.CHANNEL_MAJOR) {
            for (int j = 0; j < finalLength; j++) {
                for (int c = 0; c < finalChannels; c++) {
                    x[flatIndex(c, j)] = map[j * finalStride + c];
                }
            }
        } else {
            for (int j = 0; j < finalLength; j++) {
                System.arraycopy(map, j * finalStride, x, flatIndex(0, j), finalChannels);
            }
        }
    }

    /** The inverse of {@link #flatten} for gradients: {@code gx}'s flattened part into the final map's rows. */
    public void unflatten(float[] gx, float[] map) {
        for (int j = 0; j < finalLength; j++) {
            for (int c = 0; c < finalChannels; c++) {
                map[j * finalStride + c] = gx[flatIndex(c, j)];
            }
        }
    }

    public List<DenseStep> dense() {
        return dense;
    }

    /** Network outputs: the last dense layer's. */
    public int outputs() {
        return dense.getLast().out();
    }
}

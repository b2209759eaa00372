using TorchSharp;
using static TorchSharp.torch;

namespace NeuralNet.Comparison;

/// <summary>TorchSharp's idiomatic training epoch: a fresh <c>randperm</c>, then per batch <c>index_select</c>, forward,
/// <c>cross_entropy</c> on the logits, <c>zero_grad</c>, <c>backward</c>, <c>optimizer.step</c>; every temporary tensor
/// is freed by a dispose scope per batch.</summary>
public static class TorchLoop
{
    /// <summary>One shuffled epoch; returns the mean batch loss weighted by batch length when
    /// <paramref name="readLoss"/> (summed in a tensor and read once at the end; the timed runs leave it off).</summary>
    public static double Epoch(
        nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor x, Tensor y, int batchSize,
        Generator generator, bool readLoss = false, long[]? imageShape = null)
    {
        model.train();
        long n = x.shape[0];
        using var epochScope = NewDisposeScope();
        Tensor order = randperm(n, generator: generator);
        Tensor sum = zeros(1);
        for (long start = 0; start < n; start += batchSize)
        {
            using var batchScope = NewDisposeScope();
            long length = Math.Min(batchSize, n - start);
            Tensor index = order.narrow(0, start, length);
            Tensor xb = x.index_select(0, index);
            if (imageShape is not null)
            {
                xb = xb.view(length, imageShape[0], imageShape[1], imageShape[2]);
            }

            Tensor yb = y.index_select(0, index);
            Tensor loss = nn.functional.cross_entropy(model.forward(xb), yb);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (readLoss)
            {
                using var noGrad = no_grad();
                sum.add_(loss.detach() * length);
            }
        }

        return readLoss ? sum.item<float>() / n : double.NaN;
    }

    /// <summary>Inference-mode mean cross-entropy and accuracy of <paramref name="model"/> on a whole set.</summary>
    public static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, long[]? imageShape = null)
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = imageShape is null ? x : x.view(x.shape[0], imageShape[0], imageShape[1], imageShape[2]);
        Tensor logits = model.forward(input);
        double loss = nn.functional.cross_entropy(logits, y).item<float>();
        double accuracy = logits.argmax(1).eq(y).to_type(ScalarType.Float64).mean().item<double>();
        model.train();
        return (loss, accuracy);
    }
}

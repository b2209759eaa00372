using System.IO.Compression;
using System.Numerics;
using System.Text.Json;
using NeuralNet.IO;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>Reading and checking the checkpoint section: early stopping, schedule state, random states.</summary>
public static partial class Checkpoint
{
    /// <summary>Reads the <c>earlyStopping</c> section: <c>1 &lt;= bestEpoch</c>, <c>0 &lt;= wait</c>,
    /// <c>bestEpoch + wait &lt;= epochsCompleted</c>, and the best weights entry sized to the network when present.</summary>
    private static EarlyStoppingState ReadEarlyStopping<T>(ArchiveReader archive, JsonSection section, Network<T> network, int epochs, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (epochs < 1)
        {
            throw new InvalidDataFileException($"{name}: checkpoint has an earlyStopping section but 0 epochs completed.");
        }

        int bestEpoch = section.GetInt("bestEpoch", 1, epochs);
        int wait = section.GetInt("wait", 0, epochs - bestEpoch);
        if (!section.Element.TryGetProperty("bestValue", out JsonElement item) || !TryReadDouble(item, allowNaN: true, out double bestValue))
        {
            throw new InvalidDataFileException($"{name}: checkpoint earlyStopping field 'bestValue' must be a number, \"{PositiveInfinity}\", \"{NegativeInfinity}\" or \"{NotANumber}\", found {Found(item)}.");
        }

        if (!section.Element.TryGetProperty("bestWeights", out JsonElement flag) || (flag.ValueKind != JsonValueKind.True && flag.ValueKind != JsonValueKind.False))
        {
            throw new InvalidDataFileException($"{name}: checkpoint earlyStopping field 'bestWeights' must be true or false, found {Found(flag)}.");
        }

        double[]? weights = null;
        if (flag.ValueKind == JsonValueKind.True)
        {
            // Claimed (size against the network, budget) before the weights are allocated; non-finite values are rejected.
            string where = $"{name}: checkpoint earlyStopping best weights";
            archive.Claim(BestWeightsEntry, network.SnapshotLength * 8L, where);
            weights = new double[network.SnapshotLength];
            archive.ReadTensor<double>(BestWeightsEntry, weights, where, section.Has("bestWeightsSha256") ? section.GetString("bestWeightsSha256") : null, claimed: true);
        }

        return new EarlyStoppingState(bestEpoch, bestValue, wait, weights);
    }

    private static string Found(JsonElement item) => item.ValueKind == JsonValueKind.Undefined ? "nothing" : JsonSection.Describe(item);

    private static bool TryReadDouble(JsonElement item, bool allowNaN, out double value)
    {
        if (item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out value) && double.IsFinite(value))
        {
            return true;
        }

        value = 0;
        if (item.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        if (item.ValueEquals(PositiveInfinity))
        {
            value = double.PositiveInfinity;
        }
        else if (item.ValueEquals(NegativeInfinity))
        {
            value = double.NegativeInfinity;
        }
        else if (allowNaN && item.ValueEquals(NotANumber))
        {
            value = double.NaN;
        }
        else
        {
            return false;
        }

        return true;
    }

    private static double[] ReadScheduleState(JsonElement array, string name)
    {
        var state = new double[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (TryReadDouble(item, allowNaN: false, out double v))
            {
                state[i] = v;
            }
            else
            {
                throw new InvalidDataFileException($"{name}: checkpoint schedule state[{i}] must be a finite number, \"{PositiveInfinity}\" or \"{NegativeInfinity}\", found {JsonSection.Describe(item)}.");
            }

            i++;
        }

        return state;
    }

    private static void RestoreRandomStates<T>(Network<T> network, JsonSection section, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        JsonElement states = section.GetArray("randomStates", network.Layers.Count);
        foreach (JsonElement item in states.EnumerateArray())
        {
            var state = new JsonSection(item, $"{name}: checkpoint random state");
            int layer = state.GetInt("layer", 0, network.Layers.Count - 1);
            if (network.Layers[layer] is not DropoutLayer<T> dropout)
            {
                throw new InvalidDataFileException($"{name}: checkpoint has a random state for layer {layer}, which is a {network.Layers[layer].Kind} layer, not dropout.");
            }

            ulong s0 = Word(item, "s0", name), s1 = Word(item, "s1", name), s2 = Word(item, "s2", name), s3 = Word(item, "s3", name);
            if ((s0 | s1 | s2 | s3) == 0)
            {
                throw new InvalidDataFileException($"{name}: checkpoint random state of layer {layer} is all zeros, which is invalid.");
            }

            bool hasSpare = item.TryGetProperty("hasSpareGaussian", out JsonElement h) && h.ValueKind == JsonValueKind.True;
            double spare = state.GetDouble("spareGaussian", double.MinValue, double.MaxValue);
            dropout.SetRandomState(new RandomSourceState(s0, s1, s2, s3, hasSpare, spare));
        }
    }

    private static ulong Word(JsonElement item, string field, string name) =>
        item.TryGetProperty(field, out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out ulong v)
            ? v
            : throw new InvalidDataFileException($"{name}: checkpoint random state field '{field}' must be an unsigned 64-bit integer.");
}

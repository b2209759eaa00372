using System.IO.Compression;
using System.Numerics;
using System.Text.Json;
using NeuralNet.IO;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Serialization;

/// <summary>Writing the checkpoint section of the manifest: optimiser state, schedule, early stopping, random states.</summary>
public static partial class Checkpoint
{
    private static void WriteSection<T>(Utf8JsonWriter json, Network<T> network, OptimizerState state, int epochs, string? scheduleName, double[]? scheduleState, EarlyStoppingState? earlyStopping)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        json.WriteStartObject("checkpoint");
        json.WriteNumber("epochsCompleted", epochs);
        json.WriteStartObject("optimizer");
        json.WriteString("name", state.Optimizer);
        json.WriteNumber("stepCount", state.StepCount);
        json.WriteStartArray("tensorLengths");
        foreach (double[] tensor in state.Tensors)
        {
            json.WriteNumberValue(tensor.Length);
        }

        json.WriteEndArray();
        json.WriteStartArray("tensorSha256");
        foreach (double[] tensor in state.Tensors)
        {
            json.WriteStringValue(ArchiveReader.Digest<double>(tensor));
        }

        json.WriteEndArray();
        json.WriteStartArray("scalars");
        foreach (double v in state.Scalars)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("randomStates");
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is DropoutLayer<T> dropout)
            {
                RandomSourceState s = dropout.GetRandomState();
                json.WriteStartObject();
                json.WriteNumber("layer", i);
                json.WriteNumber("s0", s.S0);
                json.WriteNumber("s1", s.S1);
                json.WriteNumber("s2", s.S2);
                json.WriteNumber("s3", s.S3);
                json.WriteBoolean("hasSpareGaussian", s.HasSpareGaussian);
                json.WriteNumber("spareGaussian", s.SpareGaussian);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        if (scheduleName is not null && scheduleState is not null)
        {
            json.WriteStartObject("schedule");
            json.WriteString("name", scheduleName);
            json.WriteStartArray("state");
            foreach (double v in scheduleState)
            {
                WriteDouble(json, v);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (earlyStopping is not null)
        {
            json.WriteStartObject("earlyStopping");
            json.WriteNumber("bestEpoch", earlyStopping.BestEpoch);
            json.WritePropertyName("bestValue");
            WriteDouble(json, earlyStopping.BestValue);
            json.WriteNumber("wait", earlyStopping.Wait);
            json.WriteBoolean("bestWeights", earlyStopping.BestWeights is not null);
            if (earlyStopping.BestWeights is not null)
            {
                json.WriteString("bestWeightsSha256", ArchiveReader.Digest<double>(earlyStopping.BestWeightsSpan));
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>A number, or for a non-finite value one of System.Text.Json's named floating-point literals (JSON
    /// numbers cannot hold them).</summary>
    private static void WriteDouble(Utf8JsonWriter json, double v)
    {
        if (double.IsPositiveInfinity(v))
        {
            json.WriteStringValue(PositiveInfinity);
        }
        else if (double.IsNegativeInfinity(v))
        {
            json.WriteStringValue(NegativeInfinity);
        }
        else if (double.IsNaN(v))
        {
            json.WriteStringValue(NotANumber);
        }
        else
        {
            json.WriteNumberValue(v);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Distributed.Grains;
using NeuralNet.Distributed.Internal;
using NeuralNet.Distributed.Messages;
using NeuralNet.Distributed.Training;
using NeuralNet.Layers;
using NeuralNet.Metrics;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Orleans.Runtime;

namespace NeuralNet.Distributed;

public sealed partial class DistributedTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>One call of <see cref="FitAsync"/>: the synchronous and asynchronous epochs.</summary>
    private sealed partial class Run
    {
        /// <summary>One epoch of synchronous steps from <paramref name="version"/>; redoes steps after a shard restore.</summary>
        private async Task<EpochOutcome> RunSynchronousEpochAsync(int epoch, int stepsPerEpoch, long version)
        {
            var lossByBatch = new double[stepsPerEpoch];
            var rowsByBatch = new long[stepsPerEpoch];
            long epochStart = (long)epoch * stepsPerEpoch;
            double rate = _trainer._baseRate;
            int steps = 0;
            while (version < epochStart + stepsPerEpoch)
            {
                if (_cancellation.IsCancellationRequested)
                {
                    return new EpochOutcome(version, double.NaN, rate, steps, Cancelled: true);
                }

                if (_roster.Count == 0)
                {
                    await RefreshRosterAsync(required: true);
                }

                int batch = (int)(version - epochStart);
                rate = _core.Schedule.GetLearningRate(_trainer._baseRate, epoch + (double)batch / stepsPerEpoch);
                string[] roster = _roster.ToArray();
                var calls = new Task<WorkerStepResult>[roster.Length];
                for (int i = 0; i < roster.Length; i++)
                {
                    calls[i] = CallWorkerAsync(roster[i], new WorkerStep
                    {
                        JobId = _options.JobId, Step = version, Epoch = epoch, Batch = batch, Worker = i,
                        WorkerCount = roster.Length, LearningRate = rate,
                    });
                }

                await Task.WhenAll(calls.Select(c => c.ContinueWith(static _ => { }, TaskScheduler.Default)));
                bool allApplied = calls.All(c => c.IsCompletedSuccessfully && c.Result.Applied);
                long next = version + 1;
                if (!allApplied)
                {
                    next = await RecoverAsync(version, roster, calls);
                }

                if (next == version + 1)
                {
                    double loss = 0;
                    long rows = 0;
                    for (int i = 0; i < roster.Length; i++)
                    {
                        if (calls[i].IsCompletedSuccessfully)
                        {
                            loss += calls[i].Result.LossSum;
                            rows += calls[i].Result.Rows;
                        }
                    }

                    lossByBatch[batch] = loss;
                    rowsByBatch[batch] = rows;
                    steps++;
                    _onBatch?.Invoke(new BatchReport(epoch + 1, batch + 1, stepsPerEpoch, (int)rows, rows > 0 ? loss / rows : double.NaN, rate));
                }

                version = next;
            }

            long totalRows = rowsByBatch.Sum();
            return new EpochOutcome(version, totalRows > 0 ? lossByBatch.Sum() / totalRows : double.NaN, rate, steps, Cancelled: false);
        }

        /// <summary>One asynchronous epoch: each worker works through its block of the epoch's rows; a lost worker's
        /// remaining batches go to the others.</summary>
        private async Task<EpochOutcome> RunAsynchronousEpochAsync(int epoch)
        {
            if (_roster.Count == 0)
            {
                await RefreshRosterAsync(required: true);
            }

            string[] roster = _roster.ToArray();
            int n = roster.Length;
            var queues = new Queue<(int Block, int Batch)>[n];
            int total = 0;
            for (int i = 0; i < n; i++)
            {
                int blockRows = (int)((long)(i + 1) * _trainRows / n) - (int)((long)i * _trainRows / n);
                int batches = (blockRows + _core.BatchSize - 1) / _core.BatchSize;
                queues[i] = new Queue<(int, int)>();
                for (int b = 0; b < batches; b++)
                {
                    queues[i].Enqueue((i, b));
                }

                total += batches;
            }

            var orphans = new Queue<(int Block, int Batch)>();
            var alive = new bool[n];
            Array.Fill(alive, true);
            double lossSum = 0;
            long rows = 0;
            int done = 0;
            double rate = _trainer._baseRate;
            bool cancelled = false;
            var gate = new object();

            async Task WorkerLoopAsync(int k)
            {
                while (true)
                {
                    (int Block, int Batch) item;
                    lock (gate)
                    {
                        if (_cancellation.IsCancellationRequested)
                        {
                            cancelled = true;
                            return;
                        }

                        if (queues[k].Count > 0)
                        {
                            item = queues[k].Dequeue();
                        }
                        else if (orphans.Count > 0)
                        {
                            item = orphans.Dequeue();
                        }
                        else
                        {
                            return;
                        }

                        rate = _core.Schedule.GetLearningRate(_trainer._baseRate, epoch + (double)done / total);
                    }

                    try
                    {
                        WorkerStepResult r = await CallWorkerAsync(roster[k], new WorkerStep
                        {
                            JobId = _options.JobId, Epoch = epoch, Batch = item.Batch, Worker = item.Block, WorkerCount = n, LearningRate = rate,
                        });
                        lock (gate)
                        {
                            done++;
                            if (r.Applied)
                            {
                                lossSum += r.LossSum;
                                rows += r.Rows;
                            }
                        }
                    }
                    catch (Exception) when (!_cancellation.IsCancellationRequested)
                    {
                        lock (gate)
                        {
                            // The worker is lost: its batch and the rest of its block go to the survivors.
                            alive[k] = false;
                            orphans.Enqueue(item);
                            while (queues[k].Count > 0)
                            {
                                orphans.Enqueue(queues[k].Dequeue());
                            }
                        }

                        LoseWorker(roster[k]);
                        return;
                    }
                }
            }

            while (true)
            {
                var loops = new List<Task>();
                for (int k = 0; k < n; k++)
                {
                    if (alive[k])
                    {
                        loops.Add(WorkerLoopAsync(k));
                    }
                }

                await Task.WhenAll(loops);
                if (cancelled || orphans.Count == 0)
                {
                    break;
                }

                if (!alive.Any(a => a))
                {
                    throw new InvalidOperationException($"Every worker of job '{_options.JobId}' was lost in epoch {epoch + 1}.");
                }
            }

            ShardStatus[] statuses = await StatusesAsync();
            return new EpochOutcome(statuses.Min(s => s.Version), rows > 0 ? lossSum / rows : double.NaN, rate, done, cancelled);
        }
    }
}

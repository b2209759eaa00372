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
    /// <summary>One call of <see cref="FitAsync"/>: recovery after a failed step, the worker roster, the shards and the merged batch-norm statistics.</summary>
    private sealed partial class Run
    {
        /// <summary>After a step that did not complete everywhere: finds out what the shards did and returns the version
        /// to continue from (the next step, the same step again, or the shards' common checkpoint).</summary>
        private async Task<long> RecoverAsync(long version, string[] roster, Task<WorkerStepResult>[] calls)
        {
            for (int i = 0; i < roster.Length; i++)
            {
                if (!calls[i].IsCompletedSuccessfully)
                {
                    LoseWorker(roster[i]);
                }
            }

            ShardStatus[] statuses = await StatusesAsync();
            if (statuses.All(s => s.Version == version + 1))
            {
                return version + 1; // applied without the lost parts
            }

            if (statuses.All(s => s.Version == version))
            {
                return version; // nothing applied: redo the step with the remaining workers
            }

            // A shard came back from its checkpoint (or shards disagree): every shard goes back to its checkpoint.
            long reached = Math.Max(version, statuses.Max(s => s.Version));
            long[] restored = await WithRetriesAsync(() => Task.WhenAll(_shards.Select(s => s.RestoreCheckpointAsync(reached))));
            if (restored.Distinct().Count() != 1)
            {
                throw new InvalidOperationException($"The shards of job '{_options.JobId}' restored different checkpoints ({string.Join(", ", restored)}); the job cannot continue consistently.");
            }

            _restores++;
            _stepsLost += reached - restored[0];
            return restored[0];
        }

        private async Task<WorkerStepResult> CallWorkerAsync(string silo, WorkerStep step)
        {
            WorkerAccount account = _accounts[silo];
            long started = Stopwatch.GetTimestamp();
            WorkerStepResult result = await _trainer._grains.GetGrain<IWorkerGrain>(silo).StepAsync(step).WaitAsync(_options.EffectiveStepTimeout);
            account.Add(result, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return result;
        }

        /// <summary>Takes a worker whose step failed or timed out out of the roster. A healthy worker whose call failed on
        /// the way (its client gateway died) is taken out too, and comes back at the next epoch.</summary>
        private void LoseWorker(string silo)
        {
            lock (_roster)
            {
                if (_roster.Remove(silo))
                {
                    _workersLost++;
                    _accounts[silo].Failed = true;
                }
            }
        }

        /// <summary>Adds the active silos not yet in the roster (a silo that joined gets work from the next epoch).</summary>
        private async Task RefreshRosterAsync(bool required)
        {
            DateTime deadline = DateTime.UtcNow + _options.RecoveryTimeout;
            while (true)
            {
                IManagementGrain management = _trainer._grains.GetGrain<IManagementGrain>(0);
                MembershipEntry[] hosts = await WithRetriesAsync(() => management.GetDetailedHosts(onlyActive: true));
                IEnumerable<string> names = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloName).Distinct(StringComparer.Ordinal);
                if (_options.WorkerSilos is { } allowed)
                {
                    names = names.Where(allowed.Contains);
                }

                var candidates = names.Order(StringComparer.Ordinal).ToList();
                foreach (string silo in candidates)
                {
                    if (_roster.Contains(silo) || (_options.Workers is { } max && _roster.Count >= max))
                    {
                        continue;
                    }

                    try
                    {
                        WorkerReady ready = await _trainer._grains.GetGrain<IWorkerGrain>(silo).PrepareAsync(_job!).WaitAsync(_options.RecoveryTimeout);
                        if (_trainRows == 0)
                        {
                            _trainRows = ready.TrainRows;
                        }
                        else if (ready.TrainRows != _trainRows)
                        {
                            throw new InvalidOperationException($"Worker '{silo}' loaded {ready.TrainRows} training rows but the others loaded {_trainRows}; every worker must see the same rows.");
                        }

                        _roster.Add(silo);
                        _accounts.TryAdd(silo, new WorkerAccount());
                        _accounts[silo].Failed = false;
                    }
                    catch (Exception e) when (e is OrleansException or TimeoutException or SiloUnavailableException)
                    {
                        // A silo that is going away; it is tried again at the next epoch.
                    }
                }

                // Keep the order by silo name, so worker positions (and the summation order) do not depend on timing.
                _roster.Sort(StringComparer.Ordinal);
                if (_roster.Count > 0 || !required)
                {
                    return;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"No worker silo is active for job '{_options.JobId}' (looked for {_options.RecoveryTimeout}).");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), _cancellation);
            }
        }

        private async Task<long> StartShardsAsync(int stepsPerEpoch)
        {
            var server = new ParameterServerOptions
            {
                JobId = _options.JobId, Optimizer = _core.Optimizer, Mode = _options.Mode, Shards = _shards.Length,
                Staleness = _options.Staleness, CheckpointEvery = _options.CheckpointEvery,
                StepsPerEpoch = Synchronous ? stepsPerEpoch : int.MaxValue, BarrierTimeout = _options.BarrierTimeout,
                GradientClipNorm = _core.GradientClipNorm, Seed = _core.Seed, Resume = _options.Resume,
            };
            long version = await WithRetriesAsync(() => ParameterServer.StartAsync(_trainer._grains, _network, server));
            if (version > (long)_core.Epochs * stepsPerEpoch && Synchronous)
            {
                throw new InvalidOperationException($"Job '{_options.JobId}' is persisted at version {version}, past the {_core.Epochs} epochs of {stepsPerEpoch} steps asked for.");
            }

            return version;
        }

        private async Task PullIntoNetworkAsync()
        {
            ParameterSnapshot[] snapshots = await WithRetriesAsync(() => Task.WhenAll(_shards.Select(s => s.PullAsync(0))));
            T[] flat = new T[_offsets[^1]];
            for (int s = 0; s < snapshots.Length; s++)
            {
                MemoryMarshal.Cast<byte, T>(snapshots[s].Values).CopyTo(flat.AsSpan(_offsets[s], _offsets[s + 1] - _offsets[s]));
            }

            Unflatten(flat);
        }

        /// <summary>Batch norm: each worker normalises with its own batch statistics (as PyTorch's DDP does by default)
        /// and keeps its own running statistics; the driver's network gets their mean over the live workers.</summary>
        private async Task MergeBuffersAsync()
        {
            if (_parameters.StateLength == _parameters.Length || _roster.Count == 0)
            {
                return;
            }

            int buffers = _parameters.StateLength - _parameters.Length;
            var sum = new double[buffers];
            int count = 0;
            foreach (string silo in _roster.ToArray())
            {
                try
                {
                    byte[] raw = await _trainer._grains.GetGrain<IWorkerGrain>(silo).GetBuffersAsync(_options.JobId).WaitAsync(_options.EffectiveStepTimeout);
                    ReadOnlySpan<T> values = MemoryMarshal.Cast<byte, T>(raw);
                    if (values.Length == buffers)
                    {
                        for (int i = 0; i < buffers; i++)
                        {
                            sum[i] += double.CreateTruncating(values[i]);
                        }

                        count++;
                    }
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    // A worker lost now is noticed at the next step; the others' statistics suffice.
                }
            }

            if (count > 0)
            {
                var state = new T[_parameters.StateLength];
                _parameters.CopyStateTo(state);
                for (int i = 0; i < buffers; i++)
                {
                    state[_parameters.Length + i] = T.CreateTruncating(sum[i] / count);
                }

                _parameters.SetState(state);
            }
        }
    }
}

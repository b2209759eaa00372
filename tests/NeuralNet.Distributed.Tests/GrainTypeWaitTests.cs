using NeuralNet.Distributed.Internal;

namespace NeuralNet.Distributed.Tests;

/// <summary>The retry through a client's first, incomplete cluster manifest.</summary>
public class GrainTypeWaitTests
{
    private static void Unresolved() => throw new ArgumentException("Could not find an implementation for interface IParameterShardGrain");

    [Fact]
    public async Task UntilResolved_RetriesUntilTheInterfaceResolves()
    {
        int calls = 0;
        void Resolve()
        {
            if (++calls < 3)
            {
                Unresolved();
            }
        }

        await GrainTypeWait.UntilResolvedAsync(Resolve, "IParameterShardGrain", TimeSpan.FromSeconds(30), CancellationToken.None);

        calls.Should().Be(3);
    }

    [Fact]
    public async Task UntilResolved_NeverResolved_ThrowsAfterTheTimeoutWithTheLastError()
    {
        Func<Task> act = () => GrainTypeWait.UntilResolvedAsync(Unresolved, "IParameterShardGrain", TimeSpan.FromMilliseconds(500), CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*IParameterShardGrain*RecoveryTimeout*"))
            .WithInnerException<ArgumentException>();
    }

    [Fact]
    public async Task UntilResolved_OtherErrors_AreNotRetried()
    {
        int calls = 0;
        Func<Task> act = () => GrainTypeWait.UntilResolvedAsync(() => { calls++; throw new InvalidCastException(); }, "IParameterShardGrain", TimeSpan.FromSeconds(30), CancellationToken.None);

        await act.Should().ThrowAsync<InvalidCastException>();
        calls.Should().Be(1);
    }

    [Fact]
    public async Task UntilResolved_Cancelled_StopsWaiting()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Func<Task> act = () => GrainTypeWait.UntilResolvedAsync(Unresolved, "IParameterShardGrain", TimeSpan.FromSeconds(30), cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}

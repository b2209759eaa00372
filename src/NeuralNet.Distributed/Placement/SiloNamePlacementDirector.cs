using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace NeuralNet.Distributed.Placement;

/// <summary>Chooses the active, compatible silo named by the grain's key; fails when there is none (the silo died or
/// never existed), so the caller learns that the worker is gone instead of getting a copy elsewhere.</summary>
internal sealed class SiloNamePlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string name = target.GrainIdentity.Key.ToString()!;
        SiloAddress[] compatible = context.GetCompatibleSilos(target);
        foreach (ClusterMember member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && member.Name == name && Array.IndexOf(compatible, member.SiloAddress) >= 0)
            {
                return Task.FromResult(member.SiloAddress);
            }
        }

        throw new OrleansException($"No active silo named '{name}' can host {target.GrainIdentity}.");
    }
}

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
        SiloAddress? chosen = null;
        foreach (ClusterMember member in membership.CurrentSnapshot.Members.Values)
        {
            // A silo restarted under the same name may briefly coexist with its dead predecessor in the membership
            // table: the newest generation wins.
            if (member.Status == SiloStatus.Active && member.Name == name && Array.IndexOf(compatible, member.SiloAddress) >= 0
                && (chosen is null || member.SiloAddress.Generation > chosen.Generation))
            {
                chosen = member.SiloAddress;
            }
        }

        return chosen is not null ? Task.FromResult(chosen) : throw new OrleansException($"No active silo named '{name}' can host {target.GrainIdentity}.");
    }
}

namespace MLNeuro.Loaders.Views;

/// <summary>Row orders for cursors: identity, or a Fisher-Yates shuffle drawn from the cursor's generator.</summary>
internal static class RowOrder
{
    public static int[] Of(int count, Random? random)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        if (random is null) return order;
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}

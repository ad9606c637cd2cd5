// The merge fields live with the delivery engine, which re-renders a letter when an office changes
// hands (ADR 0905); the letters capability and its client-side preview use them from here.
export * from '#app/delivery/merge-fields'

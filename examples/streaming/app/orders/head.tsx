export default function Head() {
  return (
    <>
      <title>Orders — Pareto Shop</title>
      <meta name="description" content="Every order, newest first, streamed from SQLite." />
    </>
  )
}

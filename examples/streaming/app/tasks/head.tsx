export default function Head() {
  return (
    <>
      <title>Tasks — Pareto Shop</title>
      <meta name="description" content="The team's to-do list, kept in SQLite." />
    </>
  )
}

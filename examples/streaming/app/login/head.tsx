export default function Head() {
  return <title>Sign in — Pareto Shop</title>
}

export default function Head() {
  return <title>About — Pareto streaming example</title>
}

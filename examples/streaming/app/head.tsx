export default function Head() {
  return (
    <>
      <title>Pareto streaming example</title>
      <meta name="description" content="The shell first, slow data streamed in as it resolves." />
    </>
  )
}

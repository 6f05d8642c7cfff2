export default function Head() {
  return (
    <>
      <title>Pareto streaming example</title>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <meta name="description" content="The shell first, slow data streamed in as it resolves." />
    </>
  )
}

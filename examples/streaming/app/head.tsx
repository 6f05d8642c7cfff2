export default function Head() {
  return (
    <>
      <title>Pareto Shop — streaming example</title>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <meta name="description" content="The shell first, slow data streamed in as it resolves." />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
    </>
  )
}

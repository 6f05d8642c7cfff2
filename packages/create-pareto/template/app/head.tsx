/** The tags in <head> for every page; a head.tsx in a route folder can replace any of them. */
export default function Head() {
  return (
    <>
      <title>My Pareto app</title>
      <meta name="description" content="A streaming React app built with Pareto." />
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    </>
  )
}

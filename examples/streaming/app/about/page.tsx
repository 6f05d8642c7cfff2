export default function About() {
  return (
    <section>
      <h1>About</h1>
      <p>This example renders the shell at once and streams the slow sections in as their data resolves.</p>
    </section>
  )
}

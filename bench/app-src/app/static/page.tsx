import { ItemList, STATIC_ITEMS } from '../components'

export default function StaticPage() {
  return (
    <section>
      <h1>Static</h1>
      <ItemList items={STATIC_ITEMS} />
    </section>
  )
}

import { makeItems } from '../components'

export function loader() {
  return { items: makeItems(50, 3000) }
}

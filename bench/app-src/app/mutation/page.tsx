// Mutation page: a form post runs the action, then the loader's fresh data goes back in the same response.
// A plain <form>, not <Form>: the bench sends the posts itself, and <Form> would put its code (~0.4 KB gz) in the
// client entry every page loads, moving the seed page's client weight.
import { useActionData, useLoaderData } from '@paretojs/core'
import type { ActionContext } from '@paretojs/core'
import { MutationFields, MutationView, mutationData, recordTitle, type MutationData } from './view'

// What the action writes to (the newest titles only).
const titles: string[] = []

export async function action(ctx: ActionContext) {
  const form = await ctx.formData()
  recordTitle(titles, String(form.get('title') ?? ''))
  return { ok: true }
}

export function loader(): MutationData {
  return mutationData(titles)
}

export default function MutationPage() {
  const data = useLoaderData<MutationData>()
  const result = useActionData<{ ok: boolean }>()
  return (
    <MutationView data={data} saved={result?.ok === true}>
      <form method="post">
        <MutationFields />
      </form>
    </MutationView>
  )
}

import { useEffect, useRef } from 'react'
import { Form, redirect, useActionData, useFetcher, useLoaderData, useRouter } from '@paretojs/core'
import type { ActionContext, LoaderContext } from '@paretojs/core'
import { Card } from '../../lib/components'
import { formatDateTime } from '../../lib/format'
import { addTask, listTasks, setTaskDone } from '../../lib/server/queries'
import { latency } from '../../lib/server/latency'
import { currentUser } from '../../lib/server/session'
import type { Task } from '../../lib/types'

const MAX_TITLE = 120

export function loader({ req }: LoaderContext) {
  // Checked here, not left to the layout: the layout's loader is skipped on navigations that keep its data.
  if (!currentUser(req)) redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`)
  return { tasks: listTasks() }
}

// POST /tasks: adds a task, or marks one done or open (the intent field says which). After it, every loader of
// the page runs again (the header's badge too), and with JavaScript on all of it comes back in one response.
export async function action(ctx: ActionContext) {
  const user = currentUser(ctx.req)
  if (!user) redirect('/login?next=/tasks')
  const form = await ctx.formData()
  // The write's network time to a remote database (artificial, as lib/server/latency.ts says): long enough to
  // see the optimistic UI.
  await latency(400, ctx.signal)
  if (form.get('intent') === 'toggle') {
    const id = Number(form.get('id'))
    if (!setTaskDone(id, form.get('done') === '1')) {
      ctx.res.status(404)
      return { error: 'That task is gone.' }
    }
    return { toggled: id }
  }
  const title = String(form.get('title') ?? '').trim()
  if (!title || title.length > MAX_TITLE) {
    ctx.res.status(422) // no loader runs again; the page shows the error next to the form
    return { error: title ? `Keep it under ${MAX_TITLE} characters.` : 'Write what needs doing.', title }
  }
  addTask(title, user.name)
  return { added: title }
}

/** One task, toggled by a fetcher: no navigation, and the box flips before the server has answered. */
function TaskItem({ task }: { task: Task }) {
  const fetcher = useFetcher<typeof action>()
  // Optimistic UI: while the toggle is on its way, show the state it asks for.
  const done = fetcher.formData ? fetcher.formData.get('done') === '1' : task.done
  return (
    <li className="flex items-center gap-3 py-2" data-testid="task" data-done={String(done)}>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="toggle" />
        <input type="hidden" name="id" value={task.id} />
        {/* The state wanted, not "flip": a repeated request does no harm. */}
        <input type="hidden" name="done" value={done ? '0' : '1'} />
        <button
          type="submit"
          aria-pressed={done}
          aria-label={`Done: ${task.title}`}
          className={`flex h-5 w-5 items-center justify-center rounded border text-xs ${done ? 'border-brand-600 bg-brand-600 text-white' : 'border-slate-300 bg-white text-transparent hover:border-brand-500'}`}
        >
          ✓
        </button>
      </fetcher.Form>
      <span className={`flex-1 ${done ? 'text-slate-400 line-through' : ''}`}>{task.title}</span>
      <span className="text-xs text-slate-400">
        {task.createdBy} · {formatDateTime(task.createdAt)}
      </span>
    </li>
  )
}

/** The add form: a real <form>, so it posts without JavaScript too. */
function AddTask() {
  const result = useActionData<typeof action>()
  const { state } = useRouter()
  const form = useRef<HTMLFormElement>(null)
  // Enhanced submissions keep the page (and what was typed): empty the field once the task is in.
  useEffect(() => {
    if (result && 'added' in result) form.current?.reset()
  }, [result])
  const error = result && 'error' in result ? result : undefined
  return (
    <Form method="post" ref={form} className="space-y-2" data-testid="add-task">
      <input type="hidden" name="intent" value="add" />
      <div className="flex gap-2">
        <input
          name="title"
          aria-label="New task"
          placeholder="What needs doing?"
          defaultValue={error && 'title' in error ? error.title : ''}
          aria-invalid={error ? true : undefined}
          className="block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
        <button
          type="submit"
          className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          {state === 'submitting' ? 'Adding…' : 'Add'}
        </button>
      </div>
      {error ? (
        <p className="text-sm text-rose-700" role="alert" data-testid="task-error">
          {error.error}
        </p>
      ) : null}
      {result && 'added' in result ? (
        <p className="text-sm text-emerald-700" role="status" data-testid="task-added">
          Added “{result.added}”.
        </p>
      ) : null}
    </Form>
  )
}

export default function Tasks() {
  const { tasks } = useLoaderData<typeof loader>()
  const { submission } = useRouter()
  // Optimistic UI: the task being added shows at once, greyed, until the answer brings the real list.
  const adding = submission?.formData.get('intent') === 'add' ? String(submission.formData.get('title')).trim() : ''
  const open = tasks.filter((t) => !t.done).length
  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="tasks-title">
          Tasks
        </h1>
        <p className="text-sm text-slate-500" data-testid="tasks-count">
          {open} open · {tasks.length - open} done
        </p>
      </div>
      <Card title="Team to-do">
        <AddTask />
        <ul className="mt-4 divide-y divide-slate-100 text-sm" data-testid="task-list">
          {adding ? (
            <li className="py-2 pl-8 text-slate-400" data-testid="task-pending" aria-busy="true">
              {adding}
            </li>
          ) : null}
          {tasks.map((t) => (
            <TaskItem key={t.id} task={t} />
          ))}
        </ul>
      </Card>
    </div>
  )
}

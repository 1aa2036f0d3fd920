# The Python side of bench/serve: the same two functions with the official
# Python SDK (PyPI `inngest`) on FastAPI under uvicorn, one process, dev mode.
import fastapi
import inngest
import inngest.fast_api

client = inngest.Inngest(app_id="bench", is_production=False)
KILOBYTE = "x" * 1000


@client.create_function(fn_id="one-step", trigger=inngest.TriggerEvent(event="bench/one"))
async def one_step(ctx: inngest.Context) -> dict:
    async def only() -> dict:
        return {"ok": True}
    return await ctx.step.run("only", only)


@client.create_function(fn_id="many-steps", trigger=inngest.TriggerEvent(event="bench/many"))
async def many_steps(ctx: inngest.Context) -> str:
    async def one() -> str:
        return KILOBYTE
    for i in range(int(ctx.event.data.get("steps", 50))):
        await ctx.step.run(f"step-{i}", one)
    return "done"


app = fastapi.FastAPI()
inngest.fast_api.serve(app, client, [one_step, many_steps])

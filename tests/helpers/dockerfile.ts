import { readFileSync } from 'node:fs';
import {
  DockerfileParser,
  type Instruction,
  JSONInstruction,
  ModifiableInstruction,
  type PropertyInstruction,
} from 'dockerfile-ast';
import { repoRootPath } from './processes.ts';

/** One `FROM` (its base image) and the instructions under it. */
export interface DockerStage {
  image: string;
  instructions: Instruction[];
}

/** A COPY instruction: from the build context, or `--from` another stage. */
export interface DockerCopy {
  from: string | undefined;
  sources: string[];
  destination: string;
}

/** What the tests check and run: the last stage's settings (the image that runs), every stage's RUN and COPY. */
export interface DockerImage {
  stages: DockerStage[];
  workdir: string | undefined;
  /** ENV of the last stage, by name */
  env: Record<string, string>;
  /** the last USER, as Docker applies it */
  user: string | undefined;
  /** CMD in exec form: the program and its arguments; undefined in shell form */
  cmd: string[] | undefined;
  healthcheck: { flags: Record<string, string>; command: string[] | undefined } | undefined;
  exposed: string[];
  volumes: string[];
  /** RUN lines, as written (continuations joined) */
  runs: string[];
  /** COPY sources read from the build context (not `--from` another stage), in every stage */
  contextCopies: string[];
  /** the last stage's COPY instructions: what the running image's WORKDIR holds */
  finalCopies: DockerCopy[];
}

export const dockerfilePath = `${repoRootPath}Dockerfile`;

/** An instruction's arguments in exec (JSON array) form; undefined when it is written in shell form. */
function readJsonArguments(instruction: Instruction | undefined): string[] | undefined {
  if (!(instruction instanceof JSONInstruction)) return undefined;
  const strings = instruction.getJSONStrings();
  return strings.length > 0 ? strings.map((string) => string.getJSONValue()) : undefined;
}

function readCopy(instruction: Instruction): DockerCopy {
  const from =
    instruction instanceof ModifiableInstruction
      ? instruction
          .getFlags()
          .find((flag) => flag.getName() === 'from')
          ?.getValue()
      : undefined;
  const paths = instruction.getArguments().map((argument) => argument.getValue());
  // Every argument but the last (the destination) is a source.
  return { from: from ?? undefined, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '' };
}

const copiesOf = (stage: DockerStage | undefined): DockerCopy[] =>
  (stage?.instructions ?? []).filter((instruction) => instruction.getKeyword() === 'COPY').map(readCopy);

function splitStages(instructions: Instruction[]): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') {
      const image = instruction.getArguments()[0]?.getValue() ?? '';
      stages.push({ image, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** Parses the repository's Dockerfile with dockerfile-ast (the parser behind VS Code's Docker support). */
export function readDockerImage(): DockerImage {
  const text = readFileSync(dockerfilePath, 'utf8');
  const stages = splitStages(DockerfileParser.parse(text).getInstructions());
  const last = stages.at(-1)?.instructions ?? [];
  const all = (keyword: string) => last.filter((instruction) => instruction.getKeyword() === keyword);
  const env: Record<string, string> = {};
  for (const instruction of all('ENV') as PropertyInstruction[]) {
    for (const property of instruction.getProperties()) env[property.getName()] = property.getValue() ?? '';
  }
  const healthcheck = all('HEALTHCHECK').at(-1);
  const flags = healthcheck instanceof ModifiableInstruction ? healthcheck.getFlags() : [];
  const healthcheckCommand = /^CMD\s+(\[[\s\S]*\])\s*$/.exec(healthcheck?.getArgumentsContent() ?? '')?.[1];
  return {
    stages,
    workdir: all('WORKDIR').at(-1)?.getArgumentsContent() ?? undefined,
    env,
    user: all('USER').at(-1)?.getArgumentsContent() ?? undefined,
    cmd: readJsonArguments(all('CMD').at(-1)),
    healthcheck: healthcheck && {
      flags: Object.fromEntries(flags.map((flag) => [flag.getName(), flag.getValue() ?? ''])),
      command: healthcheckCommand ? (JSON.parse(healthcheckCommand) as string[]) : undefined,
    },
    exposed: all('EXPOSE').flatMap((instruction) => instruction.getArguments().map((a) => a.getValue())),
    volumes: all('VOLUME').flatMap((instruction) => readJsonArguments(instruction) ?? []),
    runs: stages.flatMap((stage) =>
      stage.instructions
        .filter((instruction) => instruction.getKeyword() === 'RUN')
        .map((instruction) => (instruction.getArgumentsContent() ?? '').replace(/\s+/g, ' ')),
    ),
    contextCopies: stages.flatMap((stage) =>
      copiesOf(stage)
        .filter((copy) => copy.from === undefined)
        .flatMap((copy) => copy.sources),
    ),
    finalCopies: copiesOf(stages.at(-1)),
  };
}

// The build (scripts/build.mjs) and the tests (vitest.config.ts) import a .sh file as its text.
declare module '*.sh' {
  const text: string;
  export default text;
}

// Compatibility: InputError moved to errors/ (a leaf every layer may import); old imports keep working.
export { formatIssue, InputError, type InputErrorCode, type InputIssue } from "../errors/index.js";

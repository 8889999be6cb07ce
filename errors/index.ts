// errors/: InputError, the one error type for bad user input; a leaf every layer may import (no dependencies, browser-safe).
export { formatIssue, InputError, type InputErrorCode, type InputIssue } from "./input-error.js";
